package io.wave.ledger.ethereum.internal;

import io.reactivex.Flowable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.BaseEventResponse;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * <p>Auto generated code.
 * <p><strong>Do not modify!</strong>
 * <p>Please use the <a href="https://docs.web3j.io/command_line.html">web3j command line tools</a>,
 * or the org.web3j.codegen.SolidityFunctionWrapperGenerator in the 
 * <a href="https://github.com/hyperledger-web3j/web3j/tree/main/codegen">codegen module</a> to update.
 *
 * <p>Generated with web3j version 4.13.0.
 */
@SuppressWarnings("rawtypes")
public class WaveRegistry extends Contract {
    public static final String BINARY = "60a0604052348015600f57600080fd5b50436080526080516103dc61002e6000396000607301526103dc6000f3fe608060405234801561001057600080fd5b50600436106100415760003560e01c806359c06c8914610046578063d7d188fd1461005b578063eae4c19f1461006e575b600080fd5b610059610054366004610162565b6100a7565b005b6100596100693660046101f6565b61011a565b6100957f000000000000000000000000000000000000000000000000000000000000000081565b60405190815260200160405180910390f35b60005b81811015610115577fb402ee9f3ee34034c165c6cabce27a741a8f7ed132f4ffd453cb3b6e41635b408383838181106100e5576100e561029f565b90506020028101906100f791906102ce565b604051610105929190610345565b60405180910390a16001016100aa565b505050565b857fb839f9c0d524ba9cfeb73f4b8ba534a049ec84afccfac6295dacf332add5a5008686868686604051610152959493929190610361565b60405180910390a2505050505050565b6000806020838503121561017557600080fd5b823567ffffffffffffffff81111561018c57600080fd5b8301601f8101851361019d57600080fd5b803567ffffffffffffffff8111156101b457600080fd5b8560208260051b84010111156101c957600080fd5b6020919091019590945092505050565b803567ffffffffffffffff811681146101f157600080fd5b919050565b60008060008060008060a0878903121561020f57600080fd5b8635955061021f602088016101d9565b945061022d604088016101d9565b935060608701359250608087013567ffffffffffffffff81111561025057600080fd5b8701601f8101891361026157600080fd5b803567ffffffffffffffff81111561027857600080fd5b89602082840101111561028a57600080fd5b60208201935080925050509295509295509295565b7f4e487b7100000000000000000000000000000000000000000000000000000000600052603260045260246000fd5b6000808335601e198436030181126102e557600080fd5b83018035915067ffffffffffffffff82111561030057600080fd5b60200191503681900382131561031557600080fd5b9250929050565b81835281816020850137506000828201602090810191909152601f909101601f19169091010190565b60208152600061035960208301848661031c565b949350505050565b67ffffffffffffffff8616815267ffffffffffffffff8516602082015283604082015260806060820152600061039b60808301848661031c565b97965050505050505056fea26469706673582212201989efd4dbb9d370f7884c8b9c7e150ee7f75e6d9c633cce0a198271193c762e64736f6c634300081c0033";

    private static String librariesLinkedBinary;

    public static final String FUNC_ANCHOR = "anchor";

    public static final String FUNC_DEPLOYEDAT = "deployedAt";

    public static final String FUNC_PUBLISH = "publish";

    public static final Event ANCHORED_EVENT = new Event("Anchored", 
            Arrays.<TypeReference<?>>asList(new TypeReference<Bytes32>(true) {}, new TypeReference<Uint64>() {}, new TypeReference<Uint64>() {}, new TypeReference<Bytes32>() {}, new TypeReference<DynamicBytes>() {}));
    ;

    public static final Event PUBLISHED_EVENT = new Event("Published", 
            Arrays.<TypeReference<?>>asList(new TypeReference<DynamicBytes>() {}));
    ;

    @Deprecated
    protected WaveRegistry(String contractAddress, Web3j web3j, Credentials credentials,
            BigInteger gasPrice, BigInteger gasLimit) {
        super(BINARY, contractAddress, web3j, credentials, gasPrice, gasLimit);
    }

    protected WaveRegistry(String contractAddress, Web3j web3j, Credentials credentials,
            ContractGasProvider contractGasProvider) {
        super(BINARY, contractAddress, web3j, credentials, contractGasProvider);
    }

    @Deprecated
    protected WaveRegistry(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit) {
        super(BINARY, contractAddress, web3j, transactionManager, gasPrice, gasLimit);
    }

    protected WaveRegistry(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider) {
        super(BINARY, contractAddress, web3j, transactionManager, contractGasProvider);
    }

    public static List<AnchoredEventResponse> getAnchoredEvents(
            TransactionReceipt transactionReceipt) {
        List<Contract.EventValuesWithLog> valueList = staticExtractEventParametersWithLog(ANCHORED_EVENT, transactionReceipt);
        ArrayList<AnchoredEventResponse> responses = new ArrayList<AnchoredEventResponse>(valueList.size());
        for (Contract.EventValuesWithLog eventValues : valueList) {
            AnchoredEventResponse typedResponse = new AnchoredEventResponse();
            typedResponse.log = eventValues.getLog();
            typedResponse.logKey = (byte[]) eventValues.getIndexedValues().get(0).getValue();
            typedResponse.size = (BigInteger) eventValues.getNonIndexedValues().get(0).getValue();
            typedResponse.timestamp = (BigInteger) eventValues.getNonIndexedValues().get(1).getValue();
            typedResponse.root = (byte[]) eventValues.getNonIndexedValues().get(2).getValue();
            typedResponse.signature = (byte[]) eventValues.getNonIndexedValues().get(3).getValue();
            responses.add(typedResponse);
        }
        return responses;
    }

    public static AnchoredEventResponse getAnchoredEventFromLog(Log log) {
        Contract.EventValuesWithLog eventValues = staticExtractEventParametersWithLog(ANCHORED_EVENT, log);
        AnchoredEventResponse typedResponse = new AnchoredEventResponse();
        typedResponse.log = log;
        typedResponse.logKey = (byte[]) eventValues.getIndexedValues().get(0).getValue();
        typedResponse.size = (BigInteger) eventValues.getNonIndexedValues().get(0).getValue();
        typedResponse.timestamp = (BigInteger) eventValues.getNonIndexedValues().get(1).getValue();
        typedResponse.root = (byte[]) eventValues.getNonIndexedValues().get(2).getValue();
        typedResponse.signature = (byte[]) eventValues.getNonIndexedValues().get(3).getValue();
        return typedResponse;
    }

    public Flowable<AnchoredEventResponse> anchoredEventFlowable(EthFilter filter) {
        return web3j.ethLogFlowable(filter).map(log -> getAnchoredEventFromLog(log));
    }

    public Flowable<AnchoredEventResponse> anchoredEventFlowable(DefaultBlockParameter startBlock,
            DefaultBlockParameter endBlock) {
        EthFilter filter = new EthFilter(startBlock, endBlock, getContractAddress());
        filter.addSingleTopic(EventEncoder.encode(ANCHORED_EVENT));
        return anchoredEventFlowable(filter);
    }

    public static List<PublishedEventResponse> getPublishedEvents(
            TransactionReceipt transactionReceipt) {
        List<Contract.EventValuesWithLog> valueList = staticExtractEventParametersWithLog(PUBLISHED_EVENT, transactionReceipt);
        ArrayList<PublishedEventResponse> responses = new ArrayList<PublishedEventResponse>(valueList.size());
        for (Contract.EventValuesWithLog eventValues : valueList) {
            PublishedEventResponse typedResponse = new PublishedEventResponse();
            typedResponse.log = eventValues.getLog();
            typedResponse.object = (byte[]) eventValues.getNonIndexedValues().get(0).getValue();
            responses.add(typedResponse);
        }
        return responses;
    }

    public static PublishedEventResponse getPublishedEventFromLog(Log log) {
        Contract.EventValuesWithLog eventValues = staticExtractEventParametersWithLog(PUBLISHED_EVENT, log);
        PublishedEventResponse typedResponse = new PublishedEventResponse();
        typedResponse.log = log;
        typedResponse.object = (byte[]) eventValues.getNonIndexedValues().get(0).getValue();
        return typedResponse;
    }

    public Flowable<PublishedEventResponse> publishedEventFlowable(EthFilter filter) {
        return web3j.ethLogFlowable(filter).map(log -> getPublishedEventFromLog(log));
    }

    public Flowable<PublishedEventResponse> publishedEventFlowable(DefaultBlockParameter startBlock,
            DefaultBlockParameter endBlock) {
        EthFilter filter = new EthFilter(startBlock, endBlock, getContractAddress());
        filter.addSingleTopic(EventEncoder.encode(PUBLISHED_EVENT));
        return publishedEventFlowable(filter);
    }

    public RemoteFunctionCall<TransactionReceipt> anchor(byte[] logKey, BigInteger size,
            BigInteger timestamp, byte[] root, byte[] signature) {
        final Function function = new Function(
                FUNC_ANCHOR, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.generated.Bytes32(logKey), 
                new org.web3j.abi.datatypes.generated.Uint64(size), 
                new org.web3j.abi.datatypes.generated.Uint64(timestamp), 
                new org.web3j.abi.datatypes.generated.Bytes32(root), 
                new org.web3j.abi.datatypes.DynamicBytes(signature)), 
                Collections.<TypeReference<?>>emptyList());
        return executeRemoteCallTransaction(function);
    }

    public RemoteFunctionCall<BigInteger> deployedAt() {
        final Function function = new Function(FUNC_DEPLOYEDAT, 
                Arrays.<Type>asList(), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Uint256>() {}));
        return executeRemoteCallSingleValueReturn(function, BigInteger.class);
    }

    public RemoteFunctionCall<TransactionReceipt> publish(List<byte[]> objects) {
        final Function function = new Function(
                FUNC_PUBLISH, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.DynamicArray<org.web3j.abi.datatypes.DynamicBytes>(
                        org.web3j.abi.datatypes.DynamicBytes.class,
                        org.web3j.abi.Utils.typeMap(objects, org.web3j.abi.datatypes.DynamicBytes.class))), 
                Collections.<TypeReference<?>>emptyList());
        return executeRemoteCallTransaction(function);
    }

    @Deprecated
    public static WaveRegistry load(String contractAddress, Web3j web3j, Credentials credentials,
            BigInteger gasPrice, BigInteger gasLimit) {
        return new WaveRegistry(contractAddress, web3j, credentials, gasPrice, gasLimit);
    }

    @Deprecated
    public static WaveRegistry load(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit) {
        return new WaveRegistry(contractAddress, web3j, transactionManager, gasPrice, gasLimit);
    }

    public static WaveRegistry load(String contractAddress, Web3j web3j, Credentials credentials,
            ContractGasProvider contractGasProvider) {
        return new WaveRegistry(contractAddress, web3j, credentials, contractGasProvider);
    }

    public static WaveRegistry load(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider) {
        return new WaveRegistry(contractAddress, web3j, transactionManager, contractGasProvider);
    }

    public static RemoteCall<WaveRegistry> deploy(Web3j web3j, Credentials credentials,
            ContractGasProvider contractGasProvider) {
        return deployRemoteCall(WaveRegistry.class, web3j, credentials, contractGasProvider, getDeploymentBinary(), "");
    }

    public static RemoteCall<WaveRegistry> deploy(Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider) {
        return deployRemoteCall(WaveRegistry.class, web3j, transactionManager, contractGasProvider, getDeploymentBinary(), "");
    }

    @Deprecated
    public static RemoteCall<WaveRegistry> deploy(Web3j web3j, Credentials credentials,
            BigInteger gasPrice, BigInteger gasLimit) {
        return deployRemoteCall(WaveRegistry.class, web3j, credentials, gasPrice, gasLimit, getDeploymentBinary(), "");
    }

    @Deprecated
    public static RemoteCall<WaveRegistry> deploy(Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit) {
        return deployRemoteCall(WaveRegistry.class, web3j, transactionManager, gasPrice, gasLimit, getDeploymentBinary(), "");
    }

    public static void linkLibraries(List<Contract.LinkReference> references) {
        librariesLinkedBinary = linkBinaryWithReferences(BINARY, references);
    }

    private static String getDeploymentBinary() {
        if (librariesLinkedBinary != null) {
            return librariesLinkedBinary;
        } else {
            return BINARY;
        }
    }

    public static class AnchoredEventResponse extends BaseEventResponse {
        public byte[] logKey;

        public BigInteger size;

        public BigInteger timestamp;

        public byte[] root;

        public byte[] signature;
    }

    public static class PublishedEventResponse extends BaseEventResponse {
        public byte[] object;
    }
}

// SPDX-License-Identifier: UNLICENSED
pragma solidity >=0.8.19 <0.9.0;

/// @title WAVE registry: public objects and anchored tree heads, kept as events.
/// @notice Nothing here is trusted. Anyone may call either function; the contract checks nothing a
/// reader could not check better. Readers verify every object (signatures, attesters on the ledger,
/// revocations that open a known commitment) and every tree head (the log's Ed25519 signature)
/// off chain and skip what fails. Events, not storage: a log entry costs 8 gas a byte where a storage
/// slot costs 20,000, and readers need the history anyway, in order.
contract WaveRegistry {
    /// @notice The block this registry was created in: where a reader starts scanning for events.
    uint256 public immutable deployedAt;

    /// @notice One ledger object: its kind code (1 entity, 2 attestation, 3 name, 4 revocation)
    /// followed by its canonical DER, exactly a ledger entry's leaf data.
    event Published(bytes object);

    /// @notice A Merkle log's signed tree head (RFC 9162 tree, SHA-256): the log held `size` entries
    /// with root `root` at `timestamp` (milliseconds since the epoch), signed with `signature` by the
    /// log's Ed25519 key `logKey`. Indexed by key, so a reader asks for one log's heads only.
    event Anchored(bytes32 indexed logKey, uint64 size, uint64 timestamp, bytes32 root, bytes signature);

    constructor() {
        deployedAt = block.number;
    }

    /// @notice Publishes ledger objects in order, one Published event each.
    function publish(bytes[] calldata objects) external {
        for (uint256 i = 0; i < objects.length; ++i) {
            emit Published(objects[i]);
        }
    }

    /// @notice Anchors one signed tree head of the log whose Ed25519 key is `logKey`.
    function anchor(bytes32 logKey, uint64 size, uint64 timestamp, bytes32 root, bytes calldata signature)
        external
    {
        emit Anchored(logKey, size, timestamp, root, signature);
    }
}

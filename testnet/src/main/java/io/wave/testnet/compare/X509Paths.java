package io.wave.testnet.compare;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jcajce.spec.EdDSAParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * X.509 certificate paths shaped like the WAVE chains of {@code wave bench verify}, and their validation
 * with Bouncy Castle's PKIX. A chain of {@code hops} is a root CA (the trust anchor, as a namespace is)
 * and a path of {@code hops} certificates below it: {@code hops - 1} intermediate CAs and an end entity,
 * so {@code hops} signatures to check, as in the WAVE proof. Each CA narrows as attestation {@code i}
 * does, as far as PKIX can: name constraints on DNS names ({@code building1.wave.test}, then
 * {@code floor2.building1.wave.test}, then {@code hvac.floor2.building1.wave.test}; PKIX has no
 * single-cell wildcard like {@code +}, and no narrowing of operations) and a path length that drops by
 * one per CA, as WAVE's indirections do. All keys Ed25519.
 */
final class X509Paths {
    /** Bouncy Castle as a provider object, never registered globally. */
    static final Provider BC = new BouncyCastleProvider();
    /** The name the end entity is certified for: the X.509 rendering of the setpoint asked for. */
    static final String LEAF_NAME = "setpoint.hvac.floor2.building1.wave.test";

    private X509Paths() {}

    /** A trust anchor and a path below it, end entity first, as DER. */
    record Path(X509Certificate root, List<byte[]> der) {
        Path {
            Objects.requireNonNull(root, "root");
            der = der.stream().map(byte[]::clone).toList();
        }

        @Override
        public List<byte[]> der() {
            return der.stream().map(byte[]::clone).toList();
        }

        /** DER bytes of the path, without the root (the verifier's trust anchor, as Biscuit's root key is). */
        int pathBytes() {
            return der.stream().mapToInt(d -> d.length).sum();
        }
    }

    /** A root CA and a path of {@code hops} certificates below it, valid from {@code notBefore} for {@code validity}. */
    static Path chain(int hops, SecureRandom random, Instant notBefore, Duration validity) {
        return chain(hops, random, notBefore, validity, LEAF_NAME);
    }

    /** As above, with the end entity certified for {@code leafName}: to show name constraints at work. */
    static Path chain(int hops, SecureRandom random, Instant notBefore, Duration validity, String leafName) {
        if (hops < 1) {
            throw new IllegalArgumentException("hops must be at least 1");
        }
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("Ed25519", BC);
            kpg.initialize(new EdDSAParameterSpec(EdDSAParameterSpec.Ed25519), random);
            Date from = Date.from(notBefore);
            Date to = Date.from(notBefore.plus(validity));
            java.security.KeyPair rootKeys = kpg.generateKeyPair();
            X500Name rootName = new X500Name("CN=namespace,O=wave bench");
            X509Certificate root = issue(rootName, rootKeys.getPublic(), rootName, rootKeys.getPrivate(),
                    rootKeys.getPublic(), from, to, hops - 1, null, null, random);
            List<byte[]> der = new ArrayList<>();
            X500Name issuerName = rootName;
            java.security.KeyPair issuer = rootKeys;
            for (int k = 1; k <= hops; k++) {
                java.security.KeyPair keys = kpg.generateKeyPair();
                X500Name name = new X500Name("CN=holder " + k + ",O=wave bench");
                boolean leaf = k == hops;
                X509Certificate c = issue(name, keys.getPublic(), issuerName, issuer.getPrivate(), issuer.getPublic(),
                        from, to, leaf ? -1 : hops - 1 - k, leaf ? null : permittedSubtree(k),
                        leaf ? leafName : null, random);
                der.add(0, c.getEncoded());
                issuerName = name;
                issuer = keys;
            }
            return new Path(root, der);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot build the benchmark certificates: " + e, e);
        }
    }

    private static String permittedSubtree(int ca) {
        return switch (ca) {
            case 1 -> "building1.wave.test";
            case 2 -> "floor2.building1.wave.test";
            default -> "hvac.floor2.building1.wave.test";
        };
    }

    /**
     * One certificate: a CA with {@code pathLen} CAs allowed below it and DNS names under {@code permitted}
     * (when not null), or an end entity ({@code pathLen} -1) for the DNS name {@code leafName}.
     */
    private static X509Certificate issue(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey issuerKey,
            PublicKey issuerPublic, Date from, Date to, int pathLen, String permitted, String leafName,
            SecureRandom random) throws GeneralSecurityException, OperatorCreationException, CertIOException {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).add(BigInteger.ONE),
                from, to, subject, subjectKey);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
        if (!subject.equals(issuer)) {
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPublic));
        }
        if (pathLen >= 0) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        }
        if (permitted != null) {
            GeneralSubtree tree = new GeneralSubtree(new GeneralName(GeneralName.dNSName, permitted));
            b.addExtension(Extension.nameConstraints, true, new NameConstraints(new GeneralSubtree[] {tree}, null));
        }
        if (leafName != null) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, leafName)));
        }
        X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("Ed25519").setProvider(BC).build(issuerKey));
        return new JcaX509CertificateConverter().setProvider(BC).getCertificate(holder);
    }

    /**
     * What a relying party does with a path it is handed: parse every certificate from DER, validate the
     * path with PKIX from its trust anchor at a fixed time (signatures, validity, basic constraints and
     * path length, key usage, name constraints), with revocation checking off (no CRL or OCSP), then
     * check that the end entity is certified for the name asked for.
     */
    static final class Validator {
        private final PKIXParameters params;
        private final String name;
        private final CertificateFactory factory;
        private final CertPathValidator validator;

        /** A validator for one thread, keeping its trust anchor, factory and PKIX engine as a service would. */
        Validator(X509Certificate anchor, Instant now, String name) {
            this.name = Objects.requireNonNull(name, "name");
            try {
                this.params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
                this.factory = CertificateFactory.getInstance("X.509", BC);
                this.validator = CertPathValidator.getInstance("PKIX", BC);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e.toString(), e);
            }
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
        }

        /** True when the path validates to the anchor and certifies the name; false for any refusal. */
        boolean valid(List<byte[]> der) {
            try {
                List<Certificate> certs = new ArrayList<>(der.size());
                for (byte[] d : der) {
                    certs.add(factory.generateCertificate(new ByteArrayInputStream(d)));
                }
                CertPath path = factory.generateCertPath(certs);
                validator.validate(path, params);
                return certifies((X509Certificate) certs.get(0), name);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        private static boolean certifies(X509Certificate leaf, String name) throws GeneralSecurityException {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            for (List<?> n : names) {
                if (Integer.valueOf(GeneralName.dNSName).equals(n.get(0)) && name.equals(n.get(1))) {
                    return true;
                }
            }
            return false;
        }
    }
}

package org.oncobench.export;

import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Optional detached signatures over a bundle's manifest ({@code MANIFEST.sha256.sig}), with keys a production team
 * holds: the SHA-256 manifest detects corruption, while a signature makes deliberate changes detectable (anyone can
 * recompute a manifest; only the key's holder can sign it). Keys are PEM files: a PKCS#8 private key ("BEGIN PRIVATE
 * KEY") to sign, its X.509 public key ("BEGIN PUBLIC KEY") to verify; Ed25519 (preferred), EC or RSA, as
 * {@code openssl genpkey -algorithm ed25519 -out team.key.pem} and {@code openssl pkey -in team.key.pem -pubout -out
 * team.pub.pem} write them.
 */
public final class BundleSignature {
    static final String ENTRY = BundleFormat.MANIFEST + ".sig";
    private static final List<String> KEY_KINDS = List.of("Ed25519", "EC", "RSA");

    private BundleSignature() {
    }

    /** The signature of the manifest with the private key in {@code keyFile}. */
    static byte[] sign(byte[] manifest, Path keyFile) {
        PrivateKey key = privateKey(keyFile);
        try {
            Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
            s.initSign(key);
            s.update(manifest);
            return Base64.getEncoder().encode(s.sign());
        } catch (GeneralSecurityException e) {
            throw new BadInputException(keyFile + ": cannot sign with this key (" + e.getMessage() + ")");
        }
    }

    /** Refuses the bundle unless {@code signature} is the public key's signature of {@code manifest}. */
    static void verify(Path bundle, byte[] manifest, byte[] signature, Path publicKeyFile) {
        if (signature == null) {
            throw new BadInputException(bundle + " is not signed (no " + ENTRY + "), but --verify " + publicKeyFile
                    + " asks for a signature; export it with --sign KEY");
        }
        PublicKey key = publicKey(publicKeyFile);
        boolean ok;
        try {
            Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
            s.initVerify(key);
            s.update(manifest);
            ok = s.verify(Base64.getDecoder().decode(new String(signature, StandardCharsets.US_ASCII).trim()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            ok = false;
        }
        if (!ok) {
            throw new BadInputException(bundle + ": the signature does not match the manifest with the key " + publicKeyFile
                    + ": the bundle was changed after it was signed, or signed with another key");
        }
    }

    private static String algorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EdDSA", "Ed25519" -> "Ed25519";
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new BadInputException("keys of kind " + keyAlgorithm + " are not supported; use Ed25519, EC or RSA");
        };
    }

    private static PrivateKey privateKey(Path file) {
        byte[] der = pem(file, "PRIVATE KEY");
        for (String kind : KEY_KINDS) {
            try {
                return KeyFactory.getInstance(kind).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next kind
            }
        }
        throw new BadInputException(file + ": not a PKCS#8 Ed25519, EC or RSA private key");
    }

    private static PublicKey publicKey(Path file) {
        byte[] der = pem(file, "PUBLIC KEY");
        for (String kind : KEY_KINDS) {
            try {
                return KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next kind
            }
        }
        throw new BadInputException(file + ": not an X.509 Ed25519, EC or RSA public key");
    }

    private static byte[] pem(Path file, String label) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": key file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the key (" + e.getMessage() + ")");
        }
        String begin = "-----BEGIN " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf("-----END " + label + "-----");
        if (from < 0 || to < from) {
            throw new BadInputException(file + ": expected a PEM block '" + begin + "'"
                    + (label.equals("PRIVATE KEY") ? " (PKCS#8, as openssl genpkey writes it)" : " (as openssl pkey -pubout writes it)"));
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": the PEM block is not base64");
        }
    }
}

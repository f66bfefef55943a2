package dev.clickpipes.source.objectstore.azure;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Azure Storage's Shared Key authorization ("Authorize with Shared Key", service version 2009-09-19
 * and later): the {@code Authorization: SharedKey account:signature} header, an HMAC-SHA256 with
 * the account key over the verb, the standard headers, the {@code x-ms-} headers and the canonical
 * resource. Immutable; {@link #toString()} names the account only.
 */
public final class SharedKey {

    /** The standard headers in the order the string to sign lists them. */
    private static final List<String> STANDARD = List.of("content-encoding", "content-language", "content-length",
            "content-md5", "content-type", "date", "if-modified-since", "if-match", "if-none-match",
            "if-unmodified-since", "range");

    private final String account;
    private final byte[] key;

    /**
     * @param account    the storage account name
     * @param accountKey one of its access keys, base64 as the portal shows it
     * @throws IllegalArgumentException when the key is not base64 (the message does not show it)
     */
    public SharedKey(String account, String accountKey) {
        this.account = account;
        try {
            this.key = Base64.getDecoder().decode(accountKey.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the account key of Azure account " + account
                    + " is not base64: copy key1 or key2 from the portal's Access keys");
        }
    }

    /** The account this key signs for. */
    public String account() {
        return account;
    }

    /**
     * The Authorization header's value for a request.
     *
     * @param method  GET, HEAD, PUT, ...
     * @param uri     the request URI (its raw path is signed as sent)
     * @param query   the query parameters, decoded (signed sorted by name)
     * @param headers the request's headers, names in any case: the standard ones the string to sign
     *                lists and all {@code x-ms-} ones
     */
    public String authorization(String method, URI uri, Map<String, String> query, Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>();
        headers.forEach((name, value) -> h.put(name.toLowerCase(Locale.ROOT), value.strip()));
        StringBuilder toSign = new StringBuilder(method).append('\n');
        for (String name : STANDARD) {
            String value = h.getOrDefault(name, "");
            toSign.append(name.equals("content-length") && value.equals("0") ? "" : value).append('\n');
        }
        h.forEach((name, value) -> {
            if (name.startsWith("x-ms-")) {
                toSign.append(name).append(':').append(value).append('\n');
            }
        });
        toSign.append('/').append(account).append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        new TreeMap<>(lowerCased(query)).forEach((name, value) -> toSign.append('\n').append(name).append(':').append(value));
        return "SharedKey " + account + ":" + sign(toSign.toString());
    }

    /** An HMAC-SHA256 of {@code text} with the account key, base64: for signing SAS tokens too. */
    public String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private static Map<String, String> lowerCased(Map<String, String> query) {
        Map<String, String> out = new TreeMap<>();
        query.forEach((name, value) -> out.put(name.toLowerCase(Locale.ROOT), value));
        return out;
    }

    @Override
    public String toString() {
        return "shared key of account " + account;
    }
}

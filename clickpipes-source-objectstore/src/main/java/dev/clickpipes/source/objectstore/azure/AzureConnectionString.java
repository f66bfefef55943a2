package dev.clickpipes.source.objectstore.azure;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An Azure Storage connection string, split into what the Blob store needs. {@link #toString()}
 * and every message name no key and no signature.
 *
 * @param accountName  the storage account ({@code AccountName}), or null when only a SAS and an endpoint are given
 * @param accountKey   the account key ({@code AccountKey}, base64), or null
 * @param sas          the shared access signature ({@code SharedAccessSignature}), or null
 * @param blobEndpoint the account's Blob endpoint: {@code BlobEndpoint}, else
 *                     {@code DefaultEndpointsProtocol://AccountName.blob.EndpointSuffix}
 */
public record AzureConnectionString(String accountName, String accountKey, String sas, URI blobEndpoint) {

    /** Azurite's well-known development account (public, documented by Microsoft: not a secret). */
    static final String DEV_ACCOUNT = "devstoreaccount1";
    static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /**
     * Parses {@code Name=value;Name=value;...} (names case-insensitive, as Azure's SDKs read them).
     *
     * @throws IllegalArgumentException naming what is missing or malformed, never a value
     */
    public static AzureConnectionString parse(String connectionString) {
        Map<String, String> parts = new HashMap<>();
        for (String part : connectionString.strip().split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("ObjectAuth.azureConnectionString: a part has no Name=value form"
                        + " (parts are separated by ';')");
            }
            parts.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
        }
        if ("true".equalsIgnoreCase(parts.get("usedevelopmentstorage"))) {
            return new AzureConnectionString(DEV_ACCOUNT, DEV_KEY, null, URI.create("http://127.0.0.1:10000/" + DEV_ACCOUNT));
        }
        String account = parts.get("accountname");
        String key = parts.get("accountkey");
        String sas = parts.get("sharedaccesssignature");
        if (key == null && sas == null) {
            throw new IllegalArgumentException("ObjectAuth.azureConnectionString: it has neither AccountKey nor "
                    + "SharedAccessSignature; copy the whole connection string from the portal (Access keys)");
        }
        if (key != null && account == null) {
            throw new IllegalArgumentException("ObjectAuth.azureConnectionString: it has an AccountKey but no AccountName");
        }
        URI endpoint;
        String blob = parts.get("blobendpoint");
        if (blob != null) {
            try {
                endpoint = URI.create(blob.endsWith("/") ? blob.substring(0, blob.length() - 1) : blob);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ObjectAuth.azureConnectionString: BlobEndpoint is not a URL");
            }
        } else if (account != null) {
            String protocol = parts.getOrDefault("defaultendpointsprotocol", "https");
            String suffix = parts.getOrDefault("endpointsuffix", "core.windows.net");
            endpoint = URI.create(protocol + "://" + account + ".blob." + suffix);
        } else {
            endpoint = null; // a SAS alone: the URL says where
        }
        return new AzureConnectionString(account, key, sas == null ? null : sas.startsWith("?") ? sas.substring(1) : sas,
                endpoint);
    }

    @Override
    public String toString() {
        return "connection string of account " + accountName + " (" + (accountKey != null ? "account key" : "SAS") + ")";
    }
}

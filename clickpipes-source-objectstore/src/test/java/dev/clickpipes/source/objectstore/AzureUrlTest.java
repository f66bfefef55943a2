package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.source.objectstore.azure.AzureConnectionString;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Azure URLs as users write them, and Azure credentials that never show their secret. */
class AzureUrlTest {

    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtYWNjb3VudA==";

    @Test
    void blobAndDataLakeUrlsNameTheAccountsBlobEndpoint() {
        ObjectUrl https = ObjectUrl.parse("https://acme.blob.core.windows.net/events/2026/**.ndjson.gz");
        assertThat(https).isEqualTo(new ObjectUrl(ObjectUrl.Kind.AZURE, URI.create("https://acme.blob.core.windows.net"),
                null, "events", "2026/**.ndjson.gz", false));
        ObjectUrl abfss = ObjectUrl.parse("abfss://events@acme.dfs.core.windows.net/2026/*.parquet");
        assertThat(abfss).isEqualTo(new ObjectUrl(ObjectUrl.Kind.AZURE, URI.create("https://acme.blob.core.windows.net"),
                null, "events", "2026/*.parquet", false));
        assertThat(ObjectUrl.parse("wasbs://events@acme.blob.core.chinacloudapi.cn/x/*.csv").endpoint())
                .isEqualTo(URI.create("https://acme.blob.core.chinacloudapi.cn"));
        assertThat(ObjectUrl.parse("https://acme.dfs.core.windows.net/events/x/*.csv").endpoint())
                .isEqualTo(URI.create("https://acme.blob.core.windows.net"));
        assertThatThrownBy(() -> ObjectUrl.parse("abfss://acme.dfs.core.windows.net/x/*.csv"))
                .hasMessageContaining("write abfss://container@account.dfs.core.windows.net/path");
    }

    @Test
    void anEmulatorUrlWithAzureCredentialsIsPathStyle() {
        ObjectUrl url = ObjectUrl.parse("http://127.0.0.1:10000/devstoreaccount1/events/x/*.csv").asAzurePathStyle();
        assertThat(url).isEqualTo(new ObjectUrl(ObjectUrl.Kind.AZURE, URI.create("http://127.0.0.1:10000/devstoreaccount1"),
                null, "events", "x/*.csv", true));
        assertThat(ObjectStores.azureEndpoint(URI.create("http://127.0.0.1:10000"), "acme"))
                .isEqualTo(URI.create("http://127.0.0.1:10000/acme"));
        assertThat(ObjectStores.azureEndpoint(URI.create("https://acme.privatelink.blob.core.windows.net"), "acme"))
                .isEqualTo(URI.create("https://acme.privatelink.blob.core.windows.net"));
    }

    @Test
    void abfssIsNotTakenForCredentialsButASasInTheUrlIsRefused() {
        ObjectStoreSource s = ObjectStoreSource.builder().url("abfss://events@acme.dfs.core.windows.net/x/*.csv")
                .auth(ObjectAuth.azureSharedKey("acme", KEY)).build();
        assertThat(s.describe()).isEqualTo("objects abfss://events@acme.dfs.core.windows.net/x/*.csv");
        assertThatThrownBy(() -> ObjectStoreSource.builder()
                .url("https://acme.blob.core.windows.net/events/x.csv?sv=2022-11-02&sp=rl&sig=s3cret%3D").build())
                .hasMessageContaining("carries a signed query (sig=...)").hasMessageContaining("ObjectAuth.azureSas(token)")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void connectionStringsAsThePortalAndAzuriteWriteThem() {
        AzureConnectionString portal = AzureConnectionString.parse("DefaultEndpointsProtocol=https;AccountName=acme;"
                + "AccountKey=" + KEY + ";EndpointSuffix=core.usgovcloudapi.net");
        assertThat(portal.blobEndpoint()).isEqualTo(URI.create("https://acme.blob.core.usgovcloudapi.net"));
        assertThat(portal.accountKey()).isEqualTo(KEY);
        assertThat(portal.toString()).doesNotContain(KEY);
        AzureConnectionString sas = AzureConnectionString.parse("BlobEndpoint=https://acme.blob.core.windows.net/;"
                + "SharedAccessSignature=?sv=2022-11-02&sp=rl&sig=s3cret");
        assertThat(sas.blobEndpoint()).isEqualTo(URI.create("https://acme.blob.core.windows.net"));
        assertThat(sas.sas()).isEqualTo("sv=2022-11-02&sp=rl&sig=s3cret");
        assertThat(sas.toString()).doesNotContain("s3cret");
        AzureConnectionString dev = AzureConnectionString.parse("UseDevelopmentStorage=true");
        assertThat(dev.blobEndpoint()).isEqualTo(URI.create("http://127.0.0.1:10000/devstoreaccount1"));
        assertThat(dev.accountKey()).isEqualTo(AzuriteServer.KEY);
    }

    @Test
    void credentialsShowNoSecretAndMustFitTheUrl() {
        assertThat(ObjectAuth.azureSharedKey("acme", KEY).toString()).isEqualTo("Azure shared key of account acme");
        assertThat(ObjectAuth.azureSas("sv=2022-11-02&sp=rl&sig=s3cret").toString()).isEqualTo("Azure SAS token");
        ObjectAuth cs = ObjectAuth.azureConnectionString("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey="
                + KEY + ";EndpointSuffix=core.windows.net");
        assertThat(cs.toString()).isEqualTo("Azure connection string of account acme").doesNotContain(KEY);
        assertThatThrownBy(() -> ObjectAuth.azureConnectionString("AccountName=acme;Foo"))
                .hasMessageContaining("Name=value");
        assertThatThrownBy(() -> ObjectAuth.azureConnectionString("AccountName=acme;EndpointSuffix=core.windows.net"))
                .hasMessageContaining("neither AccountKey nor SharedAccessSignature");
        assertThatThrownBy(() -> ObjectStoreSource.builder().url("https://acme.blob.core.windows.net/events/*.csv")
                .auth(ObjectAuth.azureSharedKey("other", KEY)).build())
                .hasMessageContaining("the shared key is of account other but the URL names account acme")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> ObjectStoreSource.builder().url("https://acme.blob.core.windows.net/events/*.csv")
                .auth(ObjectAuth.azureConnectionString("AccountName=other;AccountKey=" + KEY)).build())
                .hasMessageContaining("the connection string is of account other but the URL names account acme")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> ObjectStoreSource.builder().url("https://acme.blob.core.windows.net/events/*.csv").build())
                .hasMessageContaining("default credentials cannot read Azure Blob Storage")
                .hasMessageContaining("ObjectAuth.azureSas(token)");
        assertThatThrownBy(() -> ObjectStoreSource.builder().url("s3://bucket/*.csv")
                .auth(ObjectAuth.azureSharedKey("acme", KEY)).build())
                .hasMessageContaining("the URL is not Azure's");
    }
}

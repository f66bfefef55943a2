package dev.clickpipes.format.avro;

import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For one test class ({@code @RegisterExtension static final RegistryAndDatabase fixture = new RegistryAndDatabase(PORT)}):
 * the test schema registry on the class's own port and a database of the shared embedded engine, both started
 * before its tests and gone after them.
 */
public final class RegistryAndDatabase implements BeforeAllCallback, AfterAllCallback {

    private final int port;
    private TestSchemaRegistry registry;
    private TestDatabase db;

    public RegistryAndDatabase(int port) {
        this.port = port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        registry = TestSchemaRegistry.start(port);
        db = EmbeddedClickHouse.shared().newDatabase();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        registry.close();
        EmbeddedClickHouse.shared().query("DROP DATABASE IF EXISTS " + db.name());
    }

    /** The registry, started. */
    public TestSchemaRegistry registry() {
        return registry;
    }

    /** The database's name. */
    public String database() {
        return db.name();
    }
}

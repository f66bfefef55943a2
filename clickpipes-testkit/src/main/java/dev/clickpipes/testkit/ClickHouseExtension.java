package dev.clickpipes.testkit;

import dev.clickpipes.clickhouse.ClickHouseException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands each test a fresh {@link TestDatabase} in the JVM's shared
 * {@link EmbeddedClickHouse} and drops it after the test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClickHouseExtension clickhouse = new ClickHouseExtension();
 *
 * @Test
 * void ordersLand() {
 *     TestDatabase db = clickhouse.database();          // or a TestDatabase test parameter
 *     clickhouse.engine().query("CREATE TABLE " + db.table("orders") + " ...");
 *     ...
 * }
 * }</pre>
 *
 * The engine is started (and, on first use on a machine, downloaded) when the first test runs.
 */
public final class ClickHouseExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClickHouseExtension.class);

    private volatile TestDatabase current;

    /** An extension on {@link EmbeddedClickHouse#shared()}. */
    public ClickHouseExtension() {}

    /** The engine, for queries and as a sink's {@code transport(...)}. */
    public EmbeddedClickHouse engine() {
        return EmbeddedClickHouse.shared();
    }

    /**
     * The running test's database.
     *
     * @throws IllegalStateException outside a test (in {@code @BeforeAll}, say)
     */
    public TestDatabase database() {
        TestDatabase db = current;
        if (db == null) {
            throw new IllegalStateException("no test is running: ClickHouseExtension makes a database for each test");
        }
        return db;
    }

    /** Creates the test's database. */
    @Override
    public void beforeEach(ExtensionContext context) throws ClickHouseException {
        TestDatabase db = engine().newDatabase();
        context.getStore(NAMESPACE).put(TestDatabase.class, db);
        current = db;
    }

    /** Drops the test's database. */
    @Override
    public void afterEach(ExtensionContext context) {
        TestDatabase db = context.getStore(NAMESPACE).remove(TestDatabase.class, TestDatabase.class);
        current = null;
        if (db != null) {
            db.close();
        }
    }

    /** Resolves {@link TestDatabase} parameters of test methods. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    /** The running test's database. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(TestDatabase.class, TestDatabase.class);
    }
}

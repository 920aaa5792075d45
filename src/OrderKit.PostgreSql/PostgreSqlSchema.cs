namespace OrderKit.PostgreSql;

/// <summary>The schema of OrderKit's tables in PostgreSQL, as numbered migrations; <c>{schema}</c> stands for the store's schema name.</summary>
internal static class PostgreSqlSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE {schema}.orders (
            id text PRIMARY KEY,
            version bigint NOT NULL CHECK (version >= 1),
            customer_id text NOT NULL,
            channel text NOT NULL,
            status text NOT NULL,
            payment_status text NOT NULL,
            placed_at timestamptz NOT NULL,
            currency text NOT NULL,
            lines_total_minor bigint NOT NULL,
            document jsonb NOT NULL
        );
        CREATE INDEX orders_customer ON {schema}.orders (customer_id, placed_at);
        CREATE INDEX orders_status ON {schema}.orders (status, placed_at);

        CREATE TABLE {schema}.waiting (
            sku text NOT NULL,
            order_id text NOT NULL,
            placed_at timestamptz NOT NULL,
            units integer NOT NULL CHECK (units > 0),
            PRIMARY KEY (sku, order_id)
        );
        CREATE INDEX waiting_queue ON {schema}.waiting (sku, placed_at, order_id);
        CREATE INDEX waiting_order ON {schema}.waiting (order_id);

        CREATE TABLE {schema}.locations (
            id text PRIMARY KEY,
            position integer NOT NULL,
            document jsonb NOT NULL
        );

        CREATE TABLE {schema}.skus (
            sku text PRIMARY KEY,
            policy jsonb NOT NULL
        );

        CREATE TABLE {schema}.stock (
            sku text NOT NULL,
            location text NOT NULL,
            on_hand integer NOT NULL,
            reserved integer NOT NULL,
            safety_stock integer NOT NULL,
            damaged integer NOT NULL,
            PRIMARY KEY (sku, location),
            CONSTRAINT stock_counts CHECK (reserved >= 0 AND on_hand - reserved >= 0 AND safety_stock >= 0 AND damaged >= 0)
        );

        CREATE TABLE {schema}.incoming (
            sku text NOT NULL,
            location text NOT NULL,
            position integer NOT NULL,
            quantity integer NOT NULL CHECK (quantity > 0),
            expected_on date NOT NULL,
            PRIMARY KEY (sku, location, position)
        );

        CREATE TABLE {schema}.ledger (
            sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind text NOT NULL,
            sku text NOT NULL,
            location text NOT NULL,
            quantity integer NOT NULL,
            on_hand_change integer NOT NULL,
            reserved_change integer NOT NULL,
            reason text,
            order_id text,
            reference text,
            occurred_at timestamptz NOT NULL
        );
        CREATE INDEX ledger_sku ON {schema}.ledger (sku, sequence);

        CREATE TABLE {schema}.cart_holds (
            cart_id text PRIMARY KEY,
            placed_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            order_id text,
            lines jsonb NOT NULL
        );
        CREATE INDEX cart_holds_expiry ON {schema}.cart_holds (expires_at) WHERE order_id IS NULL;

        CREATE TABLE {schema}.outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            order_id text NOT NULL,
            sequence integer NOT NULL,
            type text NOT NULL,
            occurred_at timestamptz NOT NULL,
            payload jsonb NOT NULL
        );

        CREATE TABLE {schema}.idempotency (
            operation text NOT NULL,
            key text NOT NULL,
            request_hash text NOT NULL,
            result text NOT NULL,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (operation, key)
        );
        CREATE INDEX idempotency_expiry ON {schema}.idempotency (expires_at);

        CREATE TABLE {schema}.inbox (
            source text NOT NULL,
            message_id text NOT NULL,
            received_at timestamptz NOT NULL,
            PRIMARY KEY (source, message_id)
        );
        """,

        // 2: documents as json, not jsonb. OrderKit never queries inside a document (the columns beside it serve the
        // queries), so the database need not take every order apart on write and put it back together on read.
        """
        ALTER TABLE {schema}.orders ALTER COLUMN document TYPE json USING document::json;
        ALTER TABLE {schema}.locations ALTER COLUMN document TYPE json USING document::json;
        ALTER TABLE {schema}.skus ALTER COLUMN policy TYPE json USING policy::json;
        ALTER TABLE {schema}.cart_holds ALTER COLUMN lines TYPE json USING lines::json;
        ALTER TABLE {schema}.outbox ALTER COLUMN payload TYPE json USING payload::json;
        """,

        // 3: the relay lease. One relay at a time reads the outbox; the others find nothing until its lease lapses.
        """
        CREATE TABLE {schema}.outbox_lease (
            name text PRIMARY KEY,
            holder text NOT NULL,
            expires_at timestamptz NOT NULL
        );
        """,

        // 4: tracking numbers, so that a carrier's webhook finds its order.
        """
        CREATE TABLE {schema}.tracking (
            carrier text NOT NULL,
            tracking_number text NOT NULL,
            order_id text NOT NULL,
            PRIMARY KEY (carrier, tracking_number)
        );
        """,

        // 5: the delivery promise and delivery, for the at-risk and completion sweeps. The partial indexes hold only
        // the orders a sweep can still find, so they stay small as shipped and completed orders pile up.
        """
        ALTER TABLE {schema}.orders ADD COLUMN ship_by timestamptz, ADD COLUMN delivered_at timestamptz;
        CREATE INDEX orders_ship_by ON {schema}.orders (ship_by, id) WHERE status IN ('Confirmed', 'Allocated', 'Backordered', 'PartiallyShipped') AND ship_by IS NOT NULL;
        CREATE INDEX orders_delivered ON {schema}.orders (delivered_at, id) WHERE status = 'Delivered' AND delivered_at IS NOT NULL;
        """,

        // 6: stock cells keep half of every page free. Each checkout updates the cells it reserves; with the pages
        // packed full, reading or updating a cell cost ten times as much (see docs/benchmarks.md, "Stock pages with
        // room"). CLUSTER rewrites the cells already stored with that room; it holds the table for the rewrite, which
        // for a table of one row per SKU and location takes a moment.
        """
        ALTER TABLE {schema}.stock SET (fillfactor = 50);
        CLUSTER {schema}.stock USING stock_pkey;
        """,

        // 7: the orders placed in a window, a page at a time (FindPlacedAsync), in place of the index by status that no
        // query read. Ids sort by code point ("C"), as OrderId compares, whatever the database's collation; the indexes
        // of the sweeps and of the backorder queue are made again to sort ties the same way. Building the new index
        // reads every stored order once, and writers wait for it.
        """
        DROP INDEX {schema}.orders_status;
        CREATE INDEX orders_placed ON {schema}.orders (placed_at, id COLLATE "C");
        DROP INDEX {schema}.orders_ship_by;
        CREATE INDEX orders_ship_by ON {schema}.orders (ship_by, id COLLATE "C") WHERE status IN ('Confirmed', 'Allocated', 'Backordered', 'PartiallyShipped') AND ship_by IS NOT NULL;
        DROP INDEX {schema}.orders_delivered;
        CREATE INDEX orders_delivered ON {schema}.orders (delivered_at, id COLLATE "C") WHERE status = 'Delivered' AND delivered_at IS NOT NULL;
        DROP INDEX {schema}.waiting_queue;
        CREATE INDEX waiting_queue ON {schema}.waiting (sku, placed_at, order_id COLLATE "C");
        """,

        // 8: a customer's orders, newest first, a page at a time (FindByCustomerAsync). The index by customer and moment
        // gains the id (by code point), so a page starts where the one before ended and ties need no sort. Building it
        // reads every stored order once, and writers wait for it.
        """
        DROP INDEX {schema}.orders_customer;
        CREATE INDEX orders_customer ON {schema}.orders (customer_id, placed_at, id COLLATE "C");
        """,

        // 9: the version of the stock catalog (policies, expected arrivals, locations), one row, counted up by every
        // change to any of them. A checkout that plans from the stock its store last saw checks at its commit that the
        // version is still the one that stock was read under (docs/persistence.md, "Stock as last seen").
        """
        CREATE TABLE {schema}.stock_catalog (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
        INSERT INTO {schema}.stock_catalog VALUES (1, 0);
        """,
    ];
}

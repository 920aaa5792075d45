namespace OrderKit.Sqlite;

/// <summary>The schema of an OrderKit SQLite database, as numbered migrations; each runs once, in order, in the transaction that records it.</summary>
internal static class SqliteSchema
{
    /// <summary>The migrations; the database's version is the number of them applied.</summary>
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE orderkit_orders (
            id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL CHECK (version >= 1),
            customer_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            status TEXT NOT NULL,
            payment_status TEXT NOT NULL,
            placed_at INTEGER NOT NULL,
            currency TEXT NOT NULL,
            lines_total_minor INTEGER NOT NULL,
            document TEXT NOT NULL
        ) STRICT;
        CREATE INDEX orderkit_orders_customer ON orderkit_orders (customer_id, placed_at);
        CREATE INDEX orderkit_orders_status ON orderkit_orders (status, placed_at);

        CREATE TABLE orderkit_waiting (
            sku TEXT NOT NULL,
            order_id TEXT NOT NULL,
            placed_at INTEGER NOT NULL,
            units INTEGER NOT NULL CHECK (units > 0),
            PRIMARY KEY (sku, order_id)
        ) STRICT;
        CREATE INDEX orderkit_waiting_queue ON orderkit_waiting (sku, placed_at, order_id);
        CREATE INDEX orderkit_waiting_order ON orderkit_waiting (order_id);

        CREATE TABLE orderkit_locations (
            id TEXT NOT NULL PRIMARY KEY,
            position INTEGER NOT NULL,
            document TEXT NOT NULL
        ) STRICT;

        CREATE TABLE orderkit_skus (
            sku TEXT NOT NULL PRIMARY KEY,
            policy TEXT NOT NULL
        ) STRICT;

        CREATE TABLE orderkit_stock (
            sku TEXT NOT NULL,
            location TEXT NOT NULL,
            on_hand INTEGER NOT NULL,
            reserved INTEGER NOT NULL,
            safety_stock INTEGER NOT NULL,
            damaged INTEGER NOT NULL,
            PRIMARY KEY (sku, location),
            CHECK (reserved >= 0 AND on_hand - reserved >= 0 AND safety_stock >= 0 AND damaged >= 0)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE orderkit_incoming (
            sku TEXT NOT NULL,
            location TEXT NOT NULL,
            position INTEGER NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            expected_on TEXT NOT NULL,
            PRIMARY KEY (sku, location, position)
        ) STRICT;

        CREATE TABLE orderkit_ledger (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            sku TEXT NOT NULL,
            location TEXT NOT NULL,
            quantity INTEGER NOT NULL,
            on_hand_change INTEGER NOT NULL,
            reserved_change INTEGER NOT NULL,
            reason TEXT,
            order_id TEXT,
            reference TEXT,
            occurred_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX orderkit_ledger_sku ON orderkit_ledger (sku, sequence);

        CREATE TABLE orderkit_cart_holds (
            cart_id TEXT NOT NULL PRIMARY KEY,
            placed_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            order_id TEXT,
            lines TEXT NOT NULL
        ) STRICT;
        CREATE INDEX orderkit_cart_holds_expiry ON orderkit_cart_holds (expires_at) WHERE order_id IS NULL;

        CREATE TABLE orderkit_outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            order_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            type TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            payload TEXT NOT NULL
        ) STRICT;

        CREATE TABLE orderkit_idempotency (
            operation TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (operation, key)
        ) STRICT;
        CREATE INDEX orderkit_idempotency_expiry ON orderkit_idempotency (expires_at);

        CREATE TABLE orderkit_inbox (
            source TEXT NOT NULL,
            message_id TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (source, message_id)
        ) STRICT;
        """,

        // 2: tracking numbers, so that a carrier's webhook finds its order.
        """
        CREATE TABLE orderkit_tracking (
            carrier TEXT NOT NULL,
            tracking_number TEXT NOT NULL,
            order_id TEXT NOT NULL,
            PRIMARY KEY (carrier, tracking_number)
        ) STRICT;
        """,

        // 3: the delivery promise and delivery, for the at-risk and completion sweeps. The partial indexes hold only
        // the orders a sweep can still find, so they stay small as shipped and completed orders pile up.
        """
        ALTER TABLE orderkit_orders ADD COLUMN ship_by INTEGER;
        ALTER TABLE orderkit_orders ADD COLUMN delivered_at INTEGER;
        CREATE INDEX orderkit_orders_ship_by ON orderkit_orders (ship_by, id) WHERE status IN ('Confirmed', 'Allocated', 'Backordered', 'PartiallyShipped') AND ship_by IS NOT NULL;
        CREATE INDEX orderkit_orders_delivered ON orderkit_orders (delivered_at, id) WHERE status = 'Delivered' AND delivered_at IS NOT NULL;
        """,

        // 4: each cell's ledger rows chained, newest first, from the cell's row, in place of the index by SKU. The
        // index took five entries at random places in every checkout, a quarter of the pages it wrote; the chain is
        // written on pages the checkout writes anyway: the cell's row, which the movement changes, and the new row.
        """
        ALTER TABLE orderkit_ledger ADD COLUMN previous INTEGER;
        ALTER TABLE orderkit_stock ADD COLUMN last_sequence INTEGER;
        UPDATE orderkit_ledger SET previous = (
            SELECT p.sequence FROM orderkit_ledger p
            WHERE p.sku = orderkit_ledger.sku AND p.sequence < orderkit_ledger.sequence AND p.location = orderkit_ledger.location
            ORDER BY p.sequence DESC LIMIT 1);
        UPDATE orderkit_stock SET last_sequence = (SELECT max(l.sequence) FROM orderkit_ledger l WHERE l.sku = orderkit_stock.sku AND l.location = orderkit_stock.location);
        DROP INDEX orderkit_ledger_sku;
        CREATE TRIGGER orderkit_ledger_chain AFTER INSERT ON orderkit_ledger
        BEGIN
            UPDATE orderkit_ledger SET previous = (SELECT s.last_sequence FROM orderkit_stock s WHERE s.sku = NEW.sku AND s.location = NEW.location)
            WHERE sequence = NEW.sequence;
            UPDATE orderkit_stock SET last_sequence = NEW.sequence WHERE sku = NEW.sku AND location = NEW.location;
        END;
        """,

        // 5: the orders placed in a window, a page at a time (FindPlacedAsync), in place of the index by status that no
        // query read, so a checkout still writes three index entries for its order. Building it reads every stored
        // order once, under the file's write lock.
        """
        DROP INDEX orderkit_orders_status;
        CREATE INDEX orderkit_orders_placed ON orderkit_orders (placed_at, id);
        """,

        // 6: a customer's orders, newest first, a page at a time (FindByCustomerAsync). The index by customer and moment
        // gains the id, so a page starts where the one before ended and ties need no sort. Building it reads every
        // stored order once, under the file's write lock.
        """
        DROP INDEX orderkit_orders_customer;
        CREATE INDEX orderkit_orders_customer ON orderkit_orders (customer_id, placed_at, id);
        """,
    ];
}

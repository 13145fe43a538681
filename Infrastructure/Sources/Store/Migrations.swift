import GRDB

/// The schema, as versioned migrations of plain SQL. Migrations are only ever added, never edited,
/// and never depend on app types: the schema is the source of truth.
enum Migrations {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-orders") { db in
            try db.execute(sql: """
                CREATE TABLE pizzas (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    description TEXT NOT NULL,
                    image TEXT NOT NULL,
                    position INTEGER NOT NULL
                );
                CREATE TABLE pizza_prices (
                    pizza_id TEXT NOT NULL REFERENCES pizzas(id) ON DELETE CASCADE,
                    size TEXT NOT NULL CHECK (size IN ('small', 'medium', 'large')),
                    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
                    PRIMARY KEY (pizza_id, size)
                ) WITHOUT ROWID;
                CREATE TABLE orders (
                    id TEXT PRIMARY KEY NOT NULL,
                    tracking_token_hash TEXT,
                    customer_name TEXT NOT NULL,
                    customer_email TEXT NOT NULL,
                    customer_phone TEXT NOT NULL,
                    customer_address TEXT NOT NULL,
                    items_json TEXT NOT NULL,
                    notes TEXT,
                    total_cents INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX orders_status_created ON orders(status, created_at);
                CREATE TABLE order_events (
                    order_id TEXT NOT NULL REFERENCES orders(id),
                    seq INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    event_id TEXT NOT NULL,
                    PRIMARY KEY (order_id, seq)
                ) WITHOUT ROWID;
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    order_id TEXT NOT NULL,
                    routing_key TEXT NOT NULL,
                    event_type TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    body BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    lease_owner TEXT,
                    lease_until INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX outbox_lease ON outbox(lease_until, id);
                CREATE TABLE processed_messages (
                    consumer TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    processed_at INTEGER NOT NULL,
                    PRIMARY KEY (consumer, message_id)
                ) WITHOUT ROWID;
                CREATE TABLE idempotency_keys (
                    key TEXT PRIMARY KEY NOT NULL,
                    request_hash TEXT NOT NULL,
                    order_id TEXT NOT NULL REFERENCES orders(id),
                    response TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE emails (
                    order_id TEXT NOT NULL REFERENCES orders(id),
                    kind TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    sent_at INTEGER NOT NULL,
                    PRIMARY KEY (order_id, kind)
                ) WITHOUT ROWID;
                """)
            try db.execute(sql: """
                INSERT INTO pizzas (id, name, description, image, position) VALUES
                  ('margherita', 'Margherita', 'San Marzano tomato, fior di latte, basil, olive oil.', 'margherita.svg', 1),
                  ('marinara', 'Marinara', 'Tomato, garlic, oregano, olive oil. No cheese.', 'marinara.svg', 2),
                  ('diavola', 'Diavola', 'Tomato, mozzarella, spicy salami, chilli.', 'diavola.svg', 3),
                  ('funghi', 'Funghi', 'Tomato, mozzarella, roasted mushrooms, thyme.', 'funghi.svg', 4),
                  ('quattro-formaggi', 'Quattro formaggi', 'Mozzarella, gorgonzola, fontina, parmesan.', 'quattro-formaggi.svg', 5),
                  ('capricciosa', 'Capricciosa', 'Tomato, mozzarella, ham, artichokes, mushrooms, olives.', 'capricciosa.svg', 6);
                INSERT INTO pizza_prices (pizza_id, size, price_cents) VALUES
                  ('margherita', 'small', 750), ('margherita', 'medium', 950), ('margherita', 'large', 1250),
                  ('marinara', 'small', 650), ('marinara', 'medium', 850), ('marinara', 'large', 1100),
                  ('diavola', 'small', 850), ('diavola', 'medium', 1100), ('diavola', 'large', 1400),
                  ('funghi', 'small', 800), ('funghi', 'medium', 1050), ('funghi', 'large', 1350),
                  ('quattro-formaggi', 'medium', 1150), ('quattro-formaggi', 'large', 1450),
                  ('capricciosa', 'medium', 1200), ('capricciosa', 'large', 1500);
                """)
        }
        migrator.registerMigration("v2-kitchen-display") { db in
            try db.execute(sql: """
                CREATE INDEX order_events_status_at ON order_events(status, at);
                CREATE TABLE kitchen_bumps (
                    order_id TEXT PRIMARY KEY NOT NULL REFERENCES orders(id),
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    requested_at INTEGER NOT NULL,
                    apply_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX kitchen_bumps_apply_at ON kitchen_bumps(apply_at);
                """)
        }
        // `Idempotency-Key`s are random (clients make them), and v1 kept each whole record in a
        // table ordered by that key: every placement wrote its receipt into a random page of the
        // table, and pruning by age scanned all of it. Records now sit in arrival order (rowid), found
        // by a small index on the key and pruned by an index on their age; the idempotency records
        // of messages get an index on their age too, so that pruning never scans a table while
        // holding the write lock.
        migrator.registerMigration("v3-prunable-idempotency-records") { db in
            try db.execute(sql: """
                CREATE TABLE idempotency_keys_v3 (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    request_hash TEXT NOT NULL,
                    order_id TEXT NOT NULL REFERENCES orders(id),
                    response TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                INSERT INTO idempotency_keys_v3 (key, request_hash, order_id, response, created_at)
                    SELECT key, request_hash, order_id, response, created_at FROM idempotency_keys ORDER BY created_at;
                DROP TABLE idempotency_keys;
                ALTER TABLE idempotency_keys_v3 RENAME TO idempotency_keys;
                CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
                CREATE INDEX processed_messages_at ON processed_messages(processed_at);
                """)
        }
        return migrator
    }
}

-- Seeds :count delivered orders (history, order_events, processed_messages, emails) for ops/bench --history.
-- Plain SQL on the real schema; run with: sqlite3 DB -cmd ".parameter set :count N" < this file.
-- Order ids are shaped like the ones the front makes (UUIDv7, from the order's time in 2023), so the
-- history sits where real history would in every index: before the orders the benchmark places.
-- Their idempotency records are dated an hour ago: records of 2023 would be past the 7 days the web
-- front keeps them, and its housekeeping would spend the measured run deleting them; recent ones
-- keep the whole index, the hardest case.
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
INSERT INTO orders (id, tracking_token_hash, customer_name, customer_email, customer_phone, customer_address, items_json, notes,
                    total_cents, status, seq, source, created_at, updated_at)
SELECT printf('%08x-%04x-7%03x-%04x-%012x', (1700000000000 + i * 1000) / 65536, (1700000000000 + i * 1000) % 65536,
              i % 4096, 32768 + (i / 4096) % 16384, i), NULL, 'History ' || i, 'history@example.com', '+44 20 7946 0000', '1 Past Street',
       '[{"pizzaId":"margherita","quantity":1,"size":"medium","unitPriceCents":950}]', NULL, 950, 'delivered', 6, 'seed',
       1700000000000 + i * 1000, 1700000000000 + i * 1000 + 6000 FROM n;
INSERT INTO order_events (order_id, seq, status, at, event_id)
SELECT o.id, s.seq, s.status, o.created_at + s.seq * 1000, o.id || '-' || s.seq FROM orders o
JOIN (SELECT 1 AS seq, 'placed' AS status UNION ALL SELECT 2, 'accepted' UNION ALL SELECT 3, 'baking' UNION ALL SELECT 4, 'ready'
      UNION ALL SELECT 5, 'out_for_delivery' UNION ALL SELECT 6, 'delivered') s WHERE o.source = 'seed';
INSERT INTO processed_messages (consumer, message_id, processed_at)
SELECT c.consumer, o.id || '-' || c.seq, CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 3600000 FROM orders o
JOIN (SELECT 'kitchen' AS consumer, 1 AS seq UNION ALL SELECT 'kitchen', 2 UNION ALL SELECT 'kitchen', 3 UNION ALL SELECT 'delivery', 4
      UNION ALL SELECT 'delivery', 5 UNION ALL SELECT 'email', 1 UNION ALL SELECT 'email', 5 UNION ALL SELECT 'email', 6) c WHERE o.source = 'seed';
INSERT INTO emails (order_id, kind, message_id, recipient, sent_at)
SELECT o.id, k.kind, o.id || '.' || k.kind || '@pizzeria.local', 'history@example.com', o.created_at FROM orders o
JOIN (SELECT 'confirmed' AS kind UNION ALL SELECT 'out_for_delivery' UNION ALL SELECT 'delivered') k WHERE o.source = 'seed';
COMMIT;

using System.Globalization;
using System.Text;
using NodaTime;
using Npgsql;
using OrderKit.Persistence;
using OrderKit.PostgreSql;

namespace OrderKit.Benchmarks.Stores;

/// <summary>
/// A ceiling for PostgreSQL, run by <c>pgbench</c> (a client in C) rather than .NET: OrderKit's schema, made by the
/// store in the schema <c>orderkit_pgbench</c> and stocked as the harness stocks it, and two scripts of what one
/// checkout sends: the stock of its five SKUs, then the conditional update of their cells, the order's row with a real
/// document, five ledger rows and six outbox rows with real events, and the commit. <c>write-set.sql</c> sends each
/// statement on its own (run it with <c>-M prepared</c>); <c>write-set-pipelined.sql</c> sends the writes and the commit
/// in one pipeline, as OrderKit does. Run both with <c>-M prepared</c>, as OrderKit's statements are prepared
/// (<c>pgbench</c> 15.18 runs prepared statements in a pipeline). No domain, no reads of policies, arrivals or
/// locations, no guards. Every run adds its orders to the schema, which grows by gigabytes over a long session and
/// then costs the runs after it in writes to disk: drop it when done.
/// </summary>
internal static class PgbenchWriteSet
{
    public const string Schema = "orderkit_pgbench";

    public static async Task<int> WriteAsync(string connection, string folder, Func<IOrderKitStore, Task> setUp, (byte[] Document, byte[][] Events) sample)
    {
        await using (NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connection))
        {
            await using (NpgsqlCommand drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE"))
            {
                await drop.ExecuteNonQueryAsync();
            }

            await setUp(new PostgreSqlOrderKitStore(dataSource, SystemClock.Instance, Schema));
        }

        Directory.CreateDirectory(folder);
        string document = Literal(sample.Document);
        string[] events = [.. sample.Events.Select(Literal)];
        File.WriteAllText(Path.Combine(folder, "write-set.sql"), Script(document, events, pipelined: false));
        File.WriteAllText(Path.Combine(folder, "write-set-pipelined.sql"), Script(document, events, pipelined: true));
        Console.WriteLine($"pgbench -n -M prepared -c 8 -j 2 -T 15 -f {Path.Combine(folder, "write-set.sql")} <database>");
        Console.WriteLine($"pgbench -n -M prepared -c 8 -j 2 -T 15 -f {Path.Combine(folder, "write-set-pipelined.sql")} <database>");
        Console.WriteLine($"when done: DROP SCHEMA {Schema} CASCADE");
        return 0;
    }

    /// <summary>A JSON text as an SQL literal; a space after each colon keeps <c>pgbench</c> from taking <c>:name</c> for one of its variables.</summary>
    private static string Literal(byte[] json) => "'" + Encoding.UTF8.GetString(json).Replace("\":", "\": ", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Script(string document, string[] events, bool pipelined)
    {
        const string Skus = "'SKU-' || lpad(:a::text, 4, '0'), 'SKU-' || lpad(:b::text, 4, '0'), 'SKU-' || lpad(:c::text, 4, '0'), 'SKU-' || lpad(:d::text, 4, '0'), 'SKU-' || lpad(:e::text, 4, '0')";
        string s = Schema;
        var script = new StringBuilder();

        // Five distinct SKUs, from five fifths of the thousand.
        script.AppendLine("\\set a random(1, 199)").AppendLine("\\set b random(200, 399)").AppendLine("\\set c random(400, 599)")
            .AppendLine("\\set d random(600, 799)").AppendLine("\\set e random(800, 999)").AppendLine("\\set n random(1, 1000000000000)");
        script.AppendLine(CultureInfo.InvariantCulture, $"SELECT sku, location, on_hand, reserved, safety_stock, damaged FROM {s}.stock WHERE sku IN ({Skus});");
        if (pipelined)
        {
            script.AppendLine("\\startpipeline");
        }

        script.AppendLine("BEGIN;");
        script.AppendLine(CultureInfo.InvariantCulture, $"UPDATE {s}.stock SET reserved = reserved + 1 WHERE location = 'WH-1' AND sku IN ({Skus}) AND on_hand - reserved - 1 - safety_stock >= 0;");
        script.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {s}.orders (id, version, customer_id, channel, status, payment_status, placed_at, currency, lines_total_minor, document, ship_by) " +
            $"VALUES ('ord_' || :n, 1, 'cus_1', 'web', 'Allocated', 'Authorized', now(), 'EUR', 6250, {document}, now()) ON CONFLICT (id) DO NOTHING;");
        script.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {s}.ledger (kind, sku, location, quantity, on_hand_change, reserved_change, order_id, occurred_at) " +
            $"SELECT 'Reserved', 'SKU-' || lpad(x::text, 4, '0'), 'WH-1', 1, 0, 1, 'ord_' || :n, now() FROM unnest(ARRAY[:a, :b, :c, :d, :e]) x;");
        string outbox = string.Join(", ", events.Select((e, i) => string.Create(CultureInfo.InvariantCulture, $"('ord_' || :n, {i + 1}, 'Event', now(), {e})")));
        script.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {s}.outbox (order_id, sequence, type, occurred_at, payload) VALUES {outbox};");
        script.AppendLine("COMMIT;");
        if (pipelined)
        {
            script.AppendLine("\\endpipeline");
        }

        return script.ToString();
    }
}

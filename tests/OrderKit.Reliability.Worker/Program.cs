using System.Globalization;
using NodaTime;
using Npgsql;
using OrderKit.Allocation;
using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.PostgreSql;
using OrderKit.Sqlite;

namespace OrderKit.Reliability.Worker;

/// <summary>
/// A process the reliability tests start, and sometimes kill with SIGKILL. It writes one line to its log after each
/// step the store has committed, so the log names only what is durable (a step committed just before a kill may be
/// missing from it, never the other way round).
/// </summary>
/// <remarks>
/// <para><c>place &lt;sqlite|postgresql&gt; &lt;connection&gt; &lt;schema&gt; &lt;orders&gt; &lt;seed&gt; &lt;log&gt;</c>: places
/// orders of one to three lines over the SKUs <c>SKU-1</c> to <c>SKU-5</c>, confirms each and allocates it; logs
/// <c>placed</c>, <c>confirmed</c> and <c>allocated</c> lines. <c>orders</c> 0 means until killed.</para>
/// <para><c>relay &lt;sqlite|postgresql&gt; &lt;connection&gt; &lt;schema&gt; &lt;batch&gt; &lt;delay-ms&gt; &lt;log&gt;</c>: delivers
/// the outbox, logging <c>&lt;order&gt; &lt;sequence&gt;</c> per event handed over, slowly, until it has found nothing for longer than a relay lease.</para>
/// </remarks>
public static class Program
{
    public const int SkuCount = 5;

    /// <summary>The relay lease of the PostgreSQL store; a relay gives up after finding nothing for longer than this.</summary>
    public static readonly Duration RelayLease = Duration.FromSeconds(2);

    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 4)
        {
            await Console.Error.WriteLineAsync("usage: place|relay <sqlite|postgresql> <connection> <schema> …");
            return 2;
        }

        (IOrderKitStore store, IAsyncDisposable owner) = Open(args[1], args[2], args[3]);
        await using (owner)
        {
            return args[0] switch
            {
                "place" => await PlaceAsync(store, int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), args[6]),
                "relay" => await RelayAsync(store, int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), args[6]),
                _ => 2,
            };
        }
    }

    /// <summary>The store named on the command line, and what to dispose at the end.</summary>
    public static (IOrderKitStore Store, IAsyncDisposable Owner) Open(string kind, string connection, string schema)
    {
        if (kind == "sqlite")
        {
            var sqlite = new SqliteOrderKitStore(connection, SystemClock.Instance);
            return (sqlite, sqlite);
        }

        // A short relay lease, so that a relay started after one was killed takes over within the test's patience.
        NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connection);
        return (new PostgreSqlOrderKitStore(dataSource, SystemClock.Instance, schema, RelayLease), dataSource);
    }

    /// <summary>A request for one to three lines of one to three units each.</summary>
    public static PlaceOrderRequest Request(Random random)
    {
        int lines = random.Next(1, 4);
        var skus = new HashSet<int>();
        while (skus.Count < lines)
        {
            skus.Add(random.Next(1, SkuCount + 1));
        }

        return new PlaceOrderRequest
        {
            CustomerId = new CustomerId("cus_" + random.Next(1, 1000).ToString(CultureInfo.InvariantCulture)),
            Channel = new SalesChannel("web"),
            ShippingAddress = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
            Currency = Currency.EUR,
            Lines = [.. skus.Select(s => new PlaceOrderLine(new Sku("SKU-" + s.ToString(CultureInfo.InvariantCulture)), new Quantity(random.Next(1, 4)), new Money(9.99m, Currency.EUR)))],
        };
    }

    private static async Task<int> PlaceAsync(IOrderKitStore store, int orders, int seed, string logPath)
    {
        var options = new OrderKitOptions { MaxConcurrencyRetries = 100 };
        var service = new OrderService(store, SystemClock.Instance, options);
        var random = new Random(seed);
        await using var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        for (int i = 0; orders == 0 || i < orders; i++)
        {
            PlaceOrderResult placed = await service.PlaceAsync(Request(random));
            OrderId id = placed.Order.Id;
            await log.WriteLineAsync($"placed {id}");
            await service.ConfirmPaymentAsync(id, placed.Order.Total);
            await log.WriteLineAsync($"confirmed {id}");
            AllocationResult allocated = await service.AllocateAsync(id);
            await log.WriteLineAsync($"allocated {id} {allocated.Order.Status} {allocated.Order.Version}");
        }

        return 0;
    }

    private static async Task<int> RelayAsync(IOrderKitStore store, int batch, int delayMs, string logPath)
    {
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        await using (log)
        {
            // Runs until it has found nothing for longer than a lease: a relay killed before it may still hold one.
            var relay = new OutboxRelay(store, [new LoggingHandler(log, delayMs)], new OrderKitOptions { OutboxBatchSize = batch });
            var idle = System.Diagnostics.Stopwatch.StartNew();
            while (idle.Elapsed < RelayLease.ToTimeSpan() + TimeSpan.FromSeconds(1))
            {
                if ((await relay.DeliverPendingAsync()).Delivered > 0)
                {
                    idle.Restart();
                }
                else
                {
                    await Task.Delay(100);
                }
            }
        }

        return 0;
    }

    /// <summary>Logs each event it is handed, then waits a little, so that a kill lands in the middle of a batch.</summary>
    private sealed class LoggingHandler(StreamWriter log, int delayMs) : IOrderEventHandler
    {
        public async ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
        {
            await log.WriteLineAsync($"{orderEvent.OrderId} {orderEvent.Sequence.ToString(CultureInfo.InvariantCulture)}");
            if (delayMs > 0)
            {
                await Task.Delay(delayMs, cancellationToken);
            }
        }
    }
}

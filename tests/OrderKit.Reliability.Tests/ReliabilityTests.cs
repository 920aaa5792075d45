using System.Globalization;
using OrderKit.PostgreSql.Tests;
using Xunit.Abstractions;

namespace OrderKit.Reliability.Tests;

/// <summary>
/// The reliability figures of docs/reliability.md: separate processes sharing one SQLite file or one PostgreSQL
/// database, killed with SIGKILL in the middle of their work, and the store reopened and audited
/// (<see cref="StoreAudit"/>) afterwards.
/// </summary>
public sealed class ReliabilityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(3);

    [Fact]
    public Task ProcessesRacingForScarceStock_Sqlite_NeverOversellAndKeepEveryOrder() => ScarceStockAsync("sqlite");

    [PostgreSqlFact]
    public Task ProcessesRacingForScarceStock_PostgreSql_NeverOversellAndKeepEveryOrder() => ScarceStockAsync("postgresql");

    [Fact]
    public Task ProcessesKilledMidLoad_Sqlite_LoseNothingCommittedAndLeaveNothingHalfApplied() => KilledMidLoadAsync("sqlite");

    [PostgreSqlFact]
    public Task ProcessesKilledMidLoad_PostgreSql_LoseNothingCommittedAndLeaveNothingHalfApplied() => KilledMidLoadAsync("postgresql");

    [Fact]
    public Task RelayKilledMidDelivery_Sqlite_DeliversEveryEventInOrderPerOrder() => RelayKilledAsync("sqlite");

    [PostgreSqlFact]
    public Task RelayKilledMidDelivery_PostgreSql_DeliversEveryEventInOrderPerOrder() => RelayKilledAsync("postgresql");

    /// <summary>Four processes place 40 orders each, wanting about 640 units of 250 in stock.</summary>
    private async Task ScarceStockAsync(string kind)
    {
        const int Processes = 4;
        const int OrdersEach = 40;
        const int UnitsPerCell = 25;
        await using SharedStore shared = SharedStore.Create(kind);
        await shared.StockAsync(UnitsPerCell);
        using TempFolder logs = new();

        WorkerProcess[] workers = [.. Enumerable.Range(0, Processes).Select(i =>
            WorkerProcess.Start(logs.File($"place-{i}.log"), "place", kind, shared.Connection, shared.Schema, OrdersEach.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture)))];
        try
        {
            foreach (WorkerProcess worker in workers)
            {
                await worker.CompleteAsync(s_patience);
            }

            string[] log = [.. workers.SelectMany(w => w.Lines())];
            AuditFigures figures = await StoreAudit.CheckAsync(shared, UnitsPerCell, log);
            int shortOrders = log.Count(l => l.StartsWith("allocated ", StringComparison.Ordinal) && !l.Contains(" Allocated ", StringComparison.Ordinal));

            Assert.Equal(Processes * OrdersEach, figures.Orders);
            Assert.True(shortOrders > 0, "The stock was meant to run out; every order was filled.");
            output.WriteLine($"{kind}: {Processes} processes, {figures.Orders} orders, {figures.UnitsReserved} of {figures.UnitsInStock} units reserved, {shortOrders} orders short, 0 oversold, {figures.EventsDelivered} events delivered in order.");
        }
        finally
        {
            foreach (WorkerProcess worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>Two rounds of two processes placing orders without end, each killed once it has committed 15 allocations.</summary>
    private async Task KilledMidLoadAsync(string kind)
    {
        const int Rounds = 2;
        const int Processes = 2;
        const int UnitsPerCell = 100_000;
        await using SharedStore shared = SharedStore.Create(kind);
        await shared.StockAsync(UnitsPerCell);
        using TempFolder logs = new();

        var log = new List<string>();
        int kills = 0;
        for (int round = 0; round < Rounds; round++)
        {
            WorkerProcess[] workers = [.. Enumerable.Range(0, Processes).Select(i =>
                WorkerProcess.Start(logs.File($"load-{round}-{i}.log"), "place", kind, shared.Connection, shared.Schema, "0", (round * 10 + i).ToString(CultureInfo.InvariantCulture)))];
            try
            {
                foreach (WorkerProcess worker in workers)
                {
                    await worker.WaitForAsync("allocated", 15, s_patience);
                }

                foreach (WorkerProcess worker in workers)
                {
                    await worker.KillAsync();
                    kills++;
                }

                log.AddRange(workers.SelectMany(w => w.Lines()));
            }
            finally
            {
                foreach (WorkerProcess worker in workers)
                {
                    worker.Dispose();
                }
            }
        }

        AuditFigures figures = await StoreAudit.CheckAsync(shared, UnitsPerCell, log);
        int logged = log.Select(l => l.Split(' ')[1]).Distinct().Count();
        Assert.True(figures.Orders >= logged);
        output.WriteLine($"{kind}: {kills} kills, {figures.Orders} orders stored ({logged} logged before the kills), {figures.UnitsReserved} units reserved and matched by orders and ledger, {figures.EventsDelivered} pending events delivered in order.");
    }

    /// <summary>A relay process killed twice in the middle of delivering about 60 orders' events, then run to the end.</summary>
    private async Task RelayKilledAsync(string kind)
    {
        await using SharedStore shared = SharedStore.Create(kind);
        await shared.StockAsync(100_000);
        using TempFolder logs = new();
        using (WorkerProcess placing = WorkerProcess.Start(logs.File("place.log"), "place", kind, shared.Connection, shared.Schema, "60", "7"))
        {
            await placing.CompleteAsync(s_patience);
        }

        var delivered = new List<string>();
        int kills = 0;
        for (int run = 0; ; run++)
        {
            using WorkerProcess relay = WorkerProcess.Start(logs.File($"relay-{run}.log"), "relay", kind, shared.Connection, shared.Schema, "10", "3");
            if (run < 2)
            {
                await relay.WaitForAsync(null, 45, s_patience);
                await relay.KillAsync();
                kills++;
                delivered.AddRange(relay.Lines());
                continue;
            }

            await relay.CompleteAsync(s_patience);
            delivered.AddRange(relay.Lines());
            break;
        }

        (int count, int duplicates) = await StoreAudit.CheckRelayLogAsync(shared, [.. delivered]);
        output.WriteLine($"{kind}: relay killed {kills} times mid-delivery, {count} deliveries of {count - duplicates} events, {duplicates} delivered again after a kill, every event at least once and in order per order.");
    }

    private sealed class TempFolder : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("orderkit-logs-").FullName;

        public string File(string name) => Path.Combine(_path, name);

        public void Dispose() => Directory.Delete(_path, recursive: true);
    }
}

using System.Collections.Concurrent;
using OrderKit.Persistence;
using OrderKit.Testing;

namespace OrderKit.Sqlite.Tests;

/// <summary>The SQLite store keeps the whole store contract, each check on a new file; in WAL mode a second unit of work reads beside the writer, so the interleaved checks run too.</summary>
public sealed class SqliteStoreConformanceTests : IDisposable
{
    private readonly ConcurrentBag<TempDatabase> _databases = [];

    public static TheoryData<string> Checks => [.. StoreConformance.CheckNames, .. StoreConformance.InterleavedCheckNames];

    [Theory]
    [MemberData(nameof(Checks))]
    public Task SqliteStore_KeepsTheContract(string check) => RunAsync(check, SqliteDurability.SurvivesProcessCrash);

    /// <summary>Every commit synced changes when a commit returns, not what it does: the same contract holds.</summary>
    [Theory]
    [MemberData(nameof(Checks))]
    public Task SqliteStore_SyncingEveryCommit_KeepsTheContract(string check) => RunAsync(check, SqliteDurability.SurvivesPowerLoss);

    private Task RunAsync(string check, SqliteDurability durability)
    {
        var suite = new StoreConformance((clock, _) =>
        {
            var database = new TempDatabase();
            _databases.Add(database);
            return ValueTask.FromResult<IOrderKitStore>(new SqliteOrderKitStore(database.ConnectionString, clock, new SqliteStoreOptions { Durability = durability }));
        }, new StoreConformanceOptions { OverlappingUnitsOfWork = true });
        return suite.RunAsync(check);
    }

    public void Dispose()
    {
        foreach (TempDatabase database in _databases)
        {
            database.Dispose();
        }
    }
}

using Npgsql;
using OrderKit.Persistence;
using OrderKit.Testing;

namespace OrderKit.PostgreSql.Tests;

/// <summary>The PostgreSQL store keeps the whole store contract, each check in a schema of its own.</summary>
public sealed class PostgreSqlStoreConformanceTests : IDisposable
{
    private readonly Lazy<NpgsqlDataSource> _dataSource = new(PostgreSqlServer.CreateDataSource);

    public static TheoryData<string> Checks => [.. StoreConformance.CheckNames, .. StoreConformance.InterleavedCheckNames];

    [PostgreSqlTheory]
    [MemberData(nameof(Checks))]
    public Task PostgreSqlStore_KeepsTheContract(string check)
    {
        var suite = new StoreConformance(
            (clock, _) => ValueTask.FromResult<IOrderKitStore>(new PostgreSqlOrderKitStore(_dataSource.Value, clock, PostgreSqlServer.NewSchema())),
            new StoreConformanceOptions { OverlappingUnitsOfWork = true });
        return suite.RunAsync(check);
    }

    public void Dispose()
    {
        if (_dataSource.IsValueCreated)
        {
            _dataSource.Value.Dispose();
        }
    }
}

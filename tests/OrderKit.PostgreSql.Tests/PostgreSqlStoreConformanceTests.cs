using System.Collections.Concurrent;
using Npgsql;
using OrderKit.Persistence;
using OrderKit.Testing;

namespace OrderKit.PostgreSql.Tests;

/// <summary>The PostgreSQL store keeps the whole store contract, each check in a schema of its own.</summary>
public sealed class PostgreSqlStoreConformanceTests : IDisposable
{
    private readonly Lazy<NpgsqlDataSource> _dataSource = new(PostgreSqlServer.CreateDataSource);
    private readonly ConcurrentBag<string> _schemas = [];

    public static TheoryData<string> Checks => [.. StoreConformance.CheckNames, .. StoreConformance.InterleavedCheckNames];

    [PostgreSqlTheory]
    [MemberData(nameof(Checks))]
    public Task PostgreSqlStore_KeepsTheContract(string check)
    {
        var suite = new StoreConformance(
            (clock, _) => ValueTask.FromResult<IOrderKitStore>(new PostgreSqlOrderKitStore(_dataSource.Value, clock, Schema())),
            new StoreConformanceOptions { OverlappingUnitsOfWork = true });
        return suite.RunAsync(check);
    }

    // The ids "ord-B" and "ord-a" sort one way by code point and the other way in English: the check holds the store
    // to OrderId's ordinal order in a database whose collation follows the language.
    [PostgreSqlFact]
    public async Task InADatabaseThatSortsTextByLanguage_OrdersPlacedAtOneMomentComeByOrdinalId()
    {
        const string database = "orderkit_tests_icu_en";
        await using (NpgsqlCommand exists = _dataSource.Value.CreateCommand($"SELECT count(*) FROM pg_database WHERE datname = '{database}'"))
        {
            if ((long)(await exists.ExecuteScalarAsync())! == 0)
            {
                try
                {
                    await using NpgsqlCommand create = _dataSource.Value.CreateCommand(
                        $"CREATE DATABASE {database} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LC_COLLATE 'C' LC_CTYPE 'C'");
                    await create.ExecuteNonQueryAsync();
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                {
                    // Made by a test run beside this one.
                }
            }
        }

        var builder = new NpgsqlConnectionStringBuilder(PostgreSqlServer.ConnectionString) { Database = database };
        await using NpgsqlDataSource english = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (NpgsqlCommand order = english.CreateCommand("SELECT 'ord-a' < 'ord-B'"))
        {
            Assert.True((bool)(await order.ExecuteScalarAsync())!, "the database was meant to sort text in English order");
        }

        var schemas = new ConcurrentBag<string>();
        var suite = new StoreConformance((clock, _) =>
        {
            string schema = PostgreSqlServer.NewSchema();
            schemas.Add(schema);
            return ValueTask.FromResult<IOrderKitStore>(new PostgreSqlOrderKitStore(english, clock, schema));
        });
        try
        {
            await suite.RunAsync("OrdersFoundByPlacement");
        }
        finally
        {
            PostgreSqlServer.DropSchemas(english, schemas);
        }
    }

    private string Schema()
    {
        string schema = PostgreSqlServer.NewSchema();
        _schemas.Add(schema);
        return schema;
    }

    public void Dispose()
    {
        if (_dataSource.IsValueCreated)
        {
            PostgreSqlServer.DropSchemas(_dataSource.Value, _schemas);
            _dataSource.Value.Dispose();
        }
    }
}

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
        return Suite(_dataSource.Value, _schemas, new StoreConformanceOptions { OverlappingUnitsOfWork = true }).RunAsync(check);
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
        try
        {
            await Suite(english, schemas, options: null).RunAsync("OrdersFoundByPlacement");
            await Suite(english, schemas, options: null).RunAsync("OrdersFoundByCustomer");
        }
        finally
        {
            PostgreSqlServer.DropSchemas(english, schemas);
        }
    }

    /// <summary>The checks over stores in schemas of their own in a database, each schema noted so that it can be dropped.</summary>
    private static StoreConformance Suite(NpgsqlDataSource dataSource, ConcurrentBag<string> schemas, StoreConformanceOptions? options) =>
        new((clock, _) =>
        {
            string schema = PostgreSqlServer.NewSchema();
            schemas.Add(schema);
            return ValueTask.FromResult<IOrderKitStore>(new PostgreSqlOrderKitStore(dataSource, clock, schema));
        }, options);

    public void Dispose()
    {
        if (_dataSource.IsValueCreated)
        {
            PostgreSqlServer.DropSchemas(_dataSource.Value, _schemas);
            _dataSource.Value.Dispose();
        }
    }
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using NodaTime;
using Npgsql;
using OrderKit.Inventory;
using OrderKit.Persistence;
using OrderKit.PostgreSql.Tests;

namespace OrderKit.Reliability.Tests;

/// <summary>A fresh database that worker processes and the test share: a SQLite file, or a PostgreSQL schema.</summary>
internal sealed class SharedStore : IAsyncDisposable
{
    private readonly string? _folder;

    private SharedStore(string kind, string connection, string schema, string? folder)
    {
        Kind = kind;
        Connection = connection;
        Schema = schema;
        _folder = folder;
    }

    public string Kind { get; }

    public string Connection { get; }

    public string Schema { get; }

    public static SharedStore Create(string kind)
    {
        if (kind == "sqlite")
        {
            string folder = Directory.CreateTempSubdirectory("orderkit-reliability-").FullName;
            return new SharedStore(kind, $"Data Source={Path.Combine(folder, "orders.db")}", "-", folder);
        }

        _ = PostgreSqlServer.CreateDataSource(); // fails clearly in CI when no server was started
        return new SharedStore(kind, PostgreSqlServer.ConnectionString!, PostgreSqlServer.NewSchema(), null);
    }

    /// <summary>Opens the store in this process, as a node restarting after a crash would.</summary>
    public (IOrderKitStore Store, IAsyncDisposable Owner) Open() => Worker.Program.Open(Kind, Connection, Schema);

    /// <summary>Two warehouses, and the SKUs the workers buy with the given units in each warehouse.</summary>
    public async Task StockAsync(int unitsPerCell)
    {
        (IOrderKitStore store, IAsyncDisposable owner) = Open();
        await using (owner)
        {
            var inventory = new InventoryService(store, SystemClock.Instance, new OrderKitOptions());
            foreach (LocationId location in Locations)
            {
                await inventory.AddLocationAsync(new StockLocation(location, "Warehouse " + location) { Rank = location == Locations[0] ? 1 : 2 });
            }

            foreach (Sku sku in Skus)
            {
                foreach (LocationId location in Locations)
                {
                    await inventory.ReceiveAsync(sku, location, new Quantity(unitsPerCell));
                }
            }
        }
    }

    public static LocationId[] Locations { get; } = [new("WH-A"), new("WH-B")];

    public static Sku[] Skus { get; } = [.. Enumerable.Range(1, Worker.Program.SkuCount).Select(i => new Sku("SKU-" + i))];

    /// <summary>Every order the database holds, read straight from its table.</summary>
    public async Task<List<OrderId>> OrderIdsAsync()
    {
        var ids = new List<OrderId>();
        DbConnection connection = Kind == "sqlite" ? new SqliteConnection(Connection) : new NpgsqlConnection(Connection);
        await using (connection)
        {
            await connection.OpenAsync();
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = Kind == "sqlite" ? "SELECT id FROM orderkit_orders" : $"SELECT id FROM {Schema}.orders";
            await using DbDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(new OrderId(reader.GetString(0)));
            }
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
            return;
        }

        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

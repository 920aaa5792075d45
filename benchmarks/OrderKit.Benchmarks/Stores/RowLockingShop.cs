using System.Data.Common;
using NodaTime;
using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit.Benchmarks.Stores;

/// <summary>
/// The baseline: what a shop commonly writes by hand for a checkout. One transaction writing what OrderKit's checkout
/// writes (the reservations, a ledger row per reservation, the order's document, its events), with each stock row
/// locked by <c>SELECT … FOR UPDATE</c> (SQLite: the database write lock of <c>BEGIN IMMEDIATE</c>), read, checked in
/// the application, then updated.
/// </summary>
internal sealed class RowLockingShop
{
    private readonly Func<DbConnection> _connect;
    private readonly bool _isPostgreSql;
    private readonly string _prefix;
    private readonly string _forUpdate;
    private readonly string _json;
    private long _nextOrder;

    public RowLockingShop(Func<DbConnection> connect, bool isPostgreSql, string prefix = "")
    {
        _connect = connect;
        _isPostgreSql = isPostgreSql;
        _prefix = prefix;
        _forUpdate = isPostgreSql ? " FOR UPDATE" : string.Empty;
        _json = isPostgreSql ? "::jsonb" : string.Empty;
    }

    public async Task SetUpAsync(Sku[] skus, LocationId[] locations, int stockPerCell)
    {
        string p = _prefix;
        string id = _isPostgreSql ? "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
        string document = _isPostgreSql ? "jsonb" : "TEXT";
        await using DbConnection connection = await OpenAsync();
        if (!_isPostgreSql)
        {
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
        }

        await ExecuteAsync(connection, null, $"CREATE TABLE {p}rl_stock (sku TEXT NOT NULL, location TEXT NOT NULL, on_hand INTEGER NOT NULL, reserved INTEGER NOT NULL, PRIMARY KEY (sku, location), CHECK (reserved <= on_hand))");
        await ExecuteAsync(connection, null, $"CREATE TABLE {p}rl_orders (id TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL, document {document} NOT NULL)");
        await ExecuteAsync(connection, null, $"CREATE TABLE {p}rl_ledger (id {id}, sku TEXT NOT NULL, location TEXT NOT NULL, reserved_change INTEGER NOT NULL, order_id TEXT NOT NULL)");
        await ExecuteAsync(connection, null, $"CREATE TABLE {p}rl_outbox (id {id}, order_id TEXT NOT NULL, sequence INTEGER NOT NULL, payload {document} NOT NULL)");
        await using DbTransaction transaction = await connection.BeginTransactionAsync();
        foreach (Sku sku in skus)
        {
            foreach (LocationId location in locations)
            {
                await ExecuteAsync(connection, transaction, $"INSERT INTO {p}rl_stock VALUES (@sku, @at, @n, 0)", ("sku", sku.Value), ("at", location.Value), ("n", stockPerCell));
            }
        }

        await transaction.CommitAsync();
    }

    public async Task PlaceAndAllocateAsync(Sku[] skus)
    {
        string p = _prefix;
        var request = new PlaceOrderRequest
        {
            OrderId = new OrderId("rl-" + Interlocked.Increment(ref _nextOrder)),
            CustomerId = new CustomerId("cus_1"),
            Channel = new SalesChannel("web"),
            ShippingAddress = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
            Currency = Currency.EUR,
            Lines = [.. skus.Select(s => new PlaceOrderLine(s, new Quantity(1), new Money(12.50m, Currency.EUR)))],
        };
        Order order = Order.Place(request, SystemClock.Instance);
        order.Confirm(order.Total);
        string orderId = order.Id.Value;

        // One transaction: lock each SKU's rows in SKU order, read, check, update; then write the order and its events.
        await using (DbConnection connection = await OpenAsync())
        {
            await using DbTransaction transaction = await BeginAsync(connection);
            foreach (Sku sku in skus.Order())
            {
                string? chosen = null;
                await using (DbCommand select = Command(connection, transaction, $"SELECT location, on_hand, reserved FROM {p}rl_stock WHERE sku = @sku ORDER BY location{_forUpdate}", ("sku", sku.Value)))
                await using (DbDataReader reader = await select.ExecuteReaderAsync())
                {
                    while (chosen is null && await reader.ReadAsync())
                    {
                        if (reader.GetInt32(1) - reader.GetInt32(2) >= 1)
                        {
                            chosen = reader.GetString(0);
                        }
                    }
                }

                if (chosen is null)
                {
                    throw new InvalidOperationException($"No stock of {sku} for order {orderId}.");
                }

                await ExecuteAsync(connection, transaction, $"UPDATE {p}rl_stock SET reserved = reserved + 1 WHERE sku = @sku AND location = @at", ("sku", sku.Value), ("at", chosen));
                await ExecuteAsync(connection, transaction, $"INSERT INTO {p}rl_ledger (sku, location, reserved_change, order_id) VALUES (@sku, @at, 1, @id)", ("sku", sku.Value), ("at", chosen), ("id", orderId));
            }

            await ExecuteAsync(connection, transaction, $"INSERT INTO {p}rl_orders VALUES (@id, 1, 'Allocated', @doc{_json})", ("id", orderId), ("doc", OrderKitJson.SerializeOrder(order.ToSnapshot())));
            foreach (OrderEvent orderEvent in order.Timeline)
            {
                await ExecuteAsync(connection, transaction, $"INSERT INTO {p}rl_outbox (order_id, sequence, payload) VALUES (@id, @seq, @payload{_json})", ("id", orderId), ("seq", orderEvent.Sequence), ("payload", OrderKitJson.SerializeEvent(orderEvent)));
            }

            await transaction.CommitAsync();
        }
    }

    /// <summary>The number of cells whose reserved units are above on hand or differ from the ledger.</summary>
    public async Task<int> CheckAsync()
    {
        string p = _prefix;
        await using DbConnection connection = await OpenAsync();
        await using DbCommand command = Command(
            connection,
            null,
            $"SELECT COUNT(*) FROM {p}rl_stock s WHERE s.reserved > s.on_hand OR s.reserved <> (SELECT COALESCE(SUM(l.reserved_change), 0) FROM {p}rl_ledger l WHERE l.sku = s.sku AND l.location = s.location)");
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = _connect();
        await connection.OpenAsync();
        return connection;
    }

    private async Task<DbTransaction> BeginAsync(DbConnection connection) =>
        connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : await connection.BeginTransactionAsync();

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using DbCommand command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }
}

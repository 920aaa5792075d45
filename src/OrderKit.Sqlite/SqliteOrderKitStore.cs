using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using NodaTime;
using OrderKit.Persistence;
using OrderKit.Persistence.Sql;

namespace OrderKit.Sqlite;

/// <summary>The embedded durable store: everything OrderKit keeps, in one SQLite file, for a shop that runs on one node.</summary>
/// <remarks>
/// <para>Orders are kept as JSON documents (<see cref="OrderKitJson"/>) with the columns queries need beside them;
/// stock cells, the movement ledger, cart holds, the outbox, idempotency records and the inbox are tables. Instants
/// are integer ticks since the Unix epoch, money in the documents is integer minor units with the currency code.</para>
/// <para>The file runs in WAL mode, so readers never wait for the writer. SQLite allows one writer at a time, the
/// writer's turn: a unit of work that finds it free takes it whole, in an immediate (write) transaction. One that
/// begins while another holds it reads on a connection of its own and waits for the turn only at its first write;
/// what it read is then checked by the writes' guards (conditional stock updates, order versions, cart holds as
/// read, unique idempotency keys), which refuse with <see cref="Inventory.InsufficientStockException"/> or
/// <see cref="ConcurrencyConflictException"/>, and OrderKit's services run the command again. Across processes
/// writers wait for the database's lock up to the connection's <c>Default Timeout</c> (30 seconds unless the
/// connection string says otherwise), after which <see cref="TransientStoreException"/> is thrown, which OrderKit
/// retries. Stock is reserved by one conditional update per cell, behind a <c>CHECK</c> that reserved never exceeds
/// on hand.</para>
/// <para>The schema is created and migrated on first use, or by <see cref="MigrateAsync"/>: numbered migrations in
/// one immediate transaction each, so two processes starting at once apply each migration once. A file that holds
/// other tables but no OrderKit schema, or a schema newer than this package, is refused with
/// <see cref="StoredDataException"/> before anything is written.</para>
/// <para>The first store made in a process turns off SQLite's count of the memory it uses, a lock every allocation
/// of every connection in the process takes, unless the <see cref="AppContext"/> switch
/// <c>OrderKit.Sqlite.KeepMemoryStatistics</c> is set; SQLite accepts the setting only before its first connection
/// opens.</para>
/// <para>Thread safety: thread-safe; register one instance per database file as a singleton.</para>
/// </remarks>
public sealed class SqliteOrderKitStore : IOrderKitStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _name;
    private readonly IClock _clock;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Once _migration;
    private readonly SqlStoreState _state = new();
    private readonly CommandCache _commands = new();
    private readonly ConcurrentBag<Reader> _readers = [];
    private SqliteConnection? _anchor;
    private SqliteCheckpointer? _checkpointer;
    private bool _disposed;

    /// <summary>Creates a store over a SQLite database; nothing is opened until the first use.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=orders.db</c>.</param>
    /// <param name="clock">The clock that decides when idempotency records expire and stamps inbox entries.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is not a valid connection string, or names no database.</exception>
    public SqliteOrderKitStore(string connectionString, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        SqliteConnectionStringBuilder builder = Check(connectionString, nameof(connectionString));
        SqliteMemoryStatistics.Configure();
        _connectionString = builder.ToString();
        _name = builder.DataSource;
        _clock = clock;
        _migration = new Once(() => MigrateOnceAsync(CancellationToken.None));
    }

    /// <summary>Gets the checkpoints the store has run in the background so far; zero for a database in memory, which has no log.</summary>
    internal long BackgroundCheckpoints => _checkpointer?.Checkpoints ?? 0;

    /// <summary>Gets whether the store copies the log back in the background: true once a file database is opened in WAL mode.</summary>
    internal bool CheckpointsInBackground => _checkpointer is not null;

    /// <summary>Creates the schema, or brings it up to this package's version; safe to call from several processes at once, and more than once.</summary>
    /// <param name="cancellationToken">Cancels the wait for the database.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="StoredDataException">The file is not a database, holds other tables but no OrderKit schema, or has a schema newer than this package.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _migration.RunAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IOrderKitTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (_checkpointer is null || _writer.CurrentCount > 0)
        {
            // No log (a database in memory: readers and the writer share locks), or nobody else in the writer's turn:
            // the unit of work takes the turn whole, on the connection whose pages are cached.
            SqlWriterTurn turn = await TakeWriterTurnAsync(cancellationToken).ConfigureAwait(false);
            return new SqlTransaction(SqliteDialect.Instance, turn.Connection, turn.Transaction, _clock, _state, turn.Commands, turn.OnEnd);
        }

        // Another unit of work holds the turn. In WAL mode this one reads on a connection of its own meanwhile, and
        // waits for the turn only at its first write: its reads, its plan and its documents overlap the other's writes.
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out Reader? reader))
        {
            reader = new Reader(await OpenAsync(cancellationToken).ConfigureAwait(false));
        }

        try
        {
            SqliteTransaction read = reader.Connection.BeginTransaction(deferred: true);
            return new SqlTransaction(SqliteDialect.Instance, reader.Connection, read, _clock, _state, reader.Commands, () => ReturnAsync(reader), TakeWriterTurnAsync);
        }
        catch (Exception e)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            if (e is SqliteException sqlite && SqliteDialect.Instance.Translate(sqlite) is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }

    /// <summary>Waits for the writer's turn and begins an immediate transaction on the connection the store keeps open, with its prepared statements.</summary>
    private async ValueTask<SqlWriterTurn> TakeWriterTurnAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SqliteTransaction transaction = _anchor!.BeginTransaction(deferred: false);
            return new SqlWriterTurn(_anchor, transaction, _commands, ReleaseWriterAsync);
        }
        catch (Exception e)
        {
            _writer.Release();
            if (e is SqliteException sqlite && SqliteDialect.Instance.Translate(sqlite) is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }

    /// <summary>Gives a read connection back for the next unit of work, or closes it once the store is disposed.</summary>
    private async ValueTask ReturnAsync(Reader reader)
    {
        if (Volatile.Read(ref _disposed))
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _readers.Add(reader);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT id, payload FROM orderkit_outbox ORDER BY id LIMIT @max";
            command.Parameters.AddWithValue("@max", maxCount);
            return await OutboxRows.ReadAsync(command, $" in {_name}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask MarkDeliveredAsync(IReadOnlyList<long> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return;
        }

        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
                await using (transaction.ConfigureAwait(false))
                {
                    SqliteCommand command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "DELETE FROM orderkit_outbox WHERE id = @id";
                    SqliteParameter id = command.Parameters.Add("@id", SqliteType.Integer);
                    foreach (long messageId in messageIds)
                    {
                        id.Value = messageId;
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (SqliteException e) when (SqliteDialect.Instance.Translate(e) is { } translated)
        {
            throw translated;
        }
        finally
        {
            _writer.Release();
            _checkpointer?.UnitOfWorkEnded();
        }
    }

    /// <summary>Closes the connection the store keeps open; transactions already begun finish normally.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // The checkpoint loop first: it may be waiting for a turn between units of work.
        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync().ConfigureAwait(false);
        }

        // Waits for the unit of work in progress, so its connection is not closed under it.
        await _writer.WaitAsync().ConfigureAwait(false);
        Volatile.Write(ref _disposed, true);
        await _commands.DisposeAsync().ConfigureAwait(false);
        while (_readers.TryTake(out Reader? reader))
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        if (_anchor is not null)
        {
            await _anchor.DisposeAsync().ConfigureAwait(false);
        }

        _writer.Release();
    }

    /// <summary>Checks a connection string: valid, and naming a database.</summary>
    internal static SqliteConnectionStringBuilder Check(string connectionString, string paramName)
    {
        ArgumentNullException.ThrowIfNull(connectionString, paramName);
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"The SQLite connection string is not valid: {e.Message}", paramName, e);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("The SQLite connection string names no database; use one such as \"Data Source=orders.db\".", paramName);
        }

        return builder;
    }

    private async Task BetweenUnitsOfWorkAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    private ValueTask ReleaseWriterAsync()
    {
        _writer.Release();
        _checkpointer?.UnitOfWorkEnded();
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            SqliteCommand pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = {SqliteCheckpointer.BackstopPages};";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            // One connection stays open for the store's life: every unit of work runs on it, it keeps a shared
            // in-memory database alive, and it spares the file's WAL index from being rebuilt.
            _anchor ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
            SqliteCommand wal = _anchor.CreateCommand();
            await using (wal.ConfigureAwait(false))
            {
                // A database in memory has no log, and stays in its own journal mode.
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                if (await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is "wal")
                {
                    _checkpointer ??= new SqliteCheckpointer(_connectionString, BetweenUnitsOfWorkAsync);
                }
            }

            SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
                await using (transaction.ConfigureAwait(false))
                {
                    var tables = new List<string>();
                    SqliteCommand list = connection.CreateCommand();
                    list.Transaction = transaction;
                    list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                    SqliteDataReader reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            tables.Add(reader.GetString(0));
                        }
                    }

                    int version = 0;
                    if (tables.Contains("orderkit_schema"))
                    {
                        SqliteCommand read = connection.CreateCommand();
                        read.Transaction = transaction;
                        read.CommandText = "SELECT version FROM orderkit_schema WHERE product = 'OrderKit'";
                        version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else if (tables.Count > 0)
                    {
                        throw new StoredDataException(
                            $"database {_name}",
                            $"it is not an OrderKit database: it holds the tables {string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", …" : string.Empty)} but no orderkit_schema. Give OrderKit a file of its own.");
                    }

                    if (version > SqliteSchema.Migrations.Length)
                    {
                        throw new StoredDataException(
                            $"database {_name}",
                            $"its OrderKit schema is version {version}, newer than the {SqliteSchema.Migrations.Length} this OrderKit.Sqlite knows; upgrade the package. Nothing was changed.");
                    }

                    if (version == SqliteSchema.Migrations.Length)
                    {
                        return;
                    }

                    if (version == 0)
                    {
                        await ExecuteAsync(connection, transaction, "CREATE TABLE orderkit_schema (product TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL) STRICT; INSERT INTO orderkit_schema VALUES ('OrderKit', 0);", cancellationToken).ConfigureAwait(false);
                    }

                    for (int next = version; next < SqliteSchema.Migrations.Length; next++)
                    {
                        await ExecuteAsync(connection, transaction, SqliteSchema.Migrations[next], cancellationToken).ConfigureAwait(false);
                    }

                    await ExecuteAsync(connection, transaction, $"UPDATE orderkit_schema SET version = {SqliteSchema.Migrations.Length} WHERE product = 'OrderKit';", cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (SqliteException e) when (SqliteDialect.Instance.Translate(e) is { } translated)
        {
            throw translated is StoredDataException ? new StoredDataException($"database {_name}", "it is not a SQLite database, or it is damaged.", e) : translated;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        SqliteCommand command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A connection units of work read on until their first write, with the statements prepared on it.</summary>
    private sealed class Reader(SqliteConnection connection) : IAsyncDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public CommandCache Commands { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await Commands.DisposeAsync().ConfigureAwait(false);
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

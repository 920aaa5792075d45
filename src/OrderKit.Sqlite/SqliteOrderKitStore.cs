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
/// <para>A commit survives a crash of the process once it returns; set <see cref="SqliteStoreOptions.Durability"/> to
/// <see cref="SqliteDurability.SurvivesPowerLoss"/> for commits that survive a power cut as well.</para>
/// <para>The file runs in WAL mode, so readers never wait for the writer. SQLite allows one writer at a time, the
/// writer's turn: a unit of work that begins while no other is under way takes it whole, in an immediate (write)
/// transaction. One that begins while others are under way reads on a connection of its own and waits for the turn
/// only at its first write;
/// what it read is then checked by the writes' guards (conditional stock updates, order versions, cart holds as
/// read, unique idempotency keys), which refuse with <see cref="Inventory.InsufficientStockException"/> or
/// <see cref="ConcurrencyConflictException"/>, and OrderKit's services run the command again. When its first write
/// is its commit, it hands the writes and the commit to whoever holds the turn, who runs the commits queued meanwhile
/// before giving the turn back, several in one transaction, each within a savepoint, so that a refused one is rolled
/// back alone. Across processes
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
    // How many queued commits one caller runs in a row before the rest go on in the thread pool.
    private const int CommitsPerCaller = 32;

    // How many queued commits share one transaction at most.
    private const int CommitsPerGroup = 8;

    private const string GroupSavepoint = "orderkit_unit";

    private readonly string _connectionString;
    private readonly string _name;
    private readonly IClock _clock;

    // Set on every connection units of work run on (OpenAsync); the checkpointer's own connection only checkpoints.
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Once _migration;
    private readonly SqlStoreState _state = new();
    private readonly CommandCache _commands = new();
    private readonly ConcurrentBag<Reader> _readers = [];

    // Commits handed to the writer (see CommitInTurnAsync): whoever holds the turn runs them before giving it back.
    private readonly ConcurrentQueue<QueuedCommit> _commits = new();

    // Units of work reading on a connection of their own.
    private int _reading;

    private long _groupedCommits;
    private SqliteConnection? _anchor;
    private SqliteCheckpointer? _checkpointer;
    private bool _disposed;

    /// <summary>Creates a store over a SQLite database; nothing is opened until the first use.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=orders.db</c>.</param>
    /// <param name="clock">The clock that decides when idempotency records expire and stamps inbox entries.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is not a valid connection string, or names no database.</exception>
    public SqliteOrderKitStore(string connectionString, IClock clock)
        : this(connectionString, clock, new SqliteStoreOptions())
    {
    }

    /// <summary>Creates a store over a SQLite database with the given options; nothing is opened until the first use.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=orders.db</c>.</param>
    /// <param name="clock">The clock that decides when idempotency records expire and stamps inbox entries.</param>
    /// <param name="options">How the store keeps its file; checked here, and read only here.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is not a valid connection string, or names no database.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public SqliteOrderKitStore(string connectionString, IClock clock, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        SqliteConnectionStringBuilder builder = Check(connectionString, nameof(connectionString));
        options.Validate();
        SqliteMemoryStatistics.Configure();
        _connectionString = builder.ToString();
        _name = builder.DataSource;
        _clock = clock;
        _pragmas = $"PRAGMA synchronous = {options.SynchronousPragma}; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {SqliteCheckpointer.BackstopPages};";
        _migration = new Once(() => MigrateOnceAsync(CancellationToken.None));
    }

    /// <summary>Gets the checkpoints the store has run in the background so far; zero for a database in memory, which has no log.</summary>
    internal long BackgroundCheckpoints => _checkpointer?.Checkpoints ?? 0;

    /// <summary>Gets whether the store copies the log back in the background: true once a file database is opened in WAL mode.</summary>
    internal bool CheckpointsInBackground => _checkpointer is not null;

    /// <summary>The commits waiting for the writer's turn now.</summary>
    internal int QueuedCommits => _commits.Count;

    /// <summary>How many commits so far were written in a transaction shared with others.</summary>
    internal long GroupedCommits => Interlocked.Read(ref _groupedCommits);

    /// <summary>Reads SQLite's <c>synchronous</c> setting (1 normal, 2 full) on the connection units of work write on, between two of them.</summary>
    internal async Task<long> GetSynchronousAsync()
    {
        await MigrateAsync().ConfigureAwait(false);
        long value = -1;
        await BetweenUnitsOfWorkAsync(
            async () =>
            {
                SqliteCommand read = _anchor!.CreateCommand();
                await using (read.ConfigureAwait(false))
                {
                    read.CommandText = "PRAGMA synchronous;";
                    value = (long)(await read.ExecuteScalarAsync().ConfigureAwait(false))!;
                }
            },
            CancellationToken.None).ConfigureAwait(false);
        return value;
    }

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
        if (_checkpointer is null || (_writer.CurrentCount > 0 && Volatile.Read(ref _reading) == 0 && _commits.IsEmpty))
        {
            // No log (a database in memory: readers and the writer share locks), or no other unit of work under way:
            // the unit of work takes the turn whole, on the connection whose pages are cached.
            SqlWriterTurn turn = await TakeWriterTurnAsync(cancellationToken).ConfigureAwait(false);
            return new SqlTransaction(SqliteDialect.Instance, turn.Connection, turn.Transaction, _clock, _state, turn.Commands, turn.OnEnd);
        }

        // Other units of work are under way. In WAL mode this one reads on a connection of its own meanwhile, and
        // waits for the turn only at its first write: its reads, its plan and its documents overlap the others' writes.
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Increment(ref _reading);
        if (!_readers.TryTake(out Reader? reader))
        {
            try
            {
                reader = new Reader(await OpenAsync(cancellationToken).ConfigureAwait(false));
            }
            catch
            {
                Interlocked.Decrement(ref _reading);
                throw;
            }
        }

        try
        {
            SqliteTransaction read = reader.Connection.BeginTransaction(deferred: true);
            return new SqlTransaction(SqliteDialect.Instance, reader.Connection, read, _clock, _state, reader.Commands, () => ReturnAsync(reader), TakeWriterTurnAsync, CommitInTurnAsync);
        }
        catch (Exception e)
        {
            Interlocked.Decrement(ref _reading);
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
            await ReleaseTurnAsync().ConfigureAwait(false);
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
        Interlocked.Decrement(ref _reading);
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
            _checkpointer?.UnitOfWorkEnded();
            await ReleaseTurnAsync().ConfigureAwait(false);
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

        await ReleaseTurnAsync().ConfigureAwait(false);
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
            await ReleaseTurnAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask ReleaseWriterAsync()
    {
        _checkpointer?.UnitOfWorkEnded();
        await ReleaseTurnAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a unit of work's staged writes and commit in a writer's turn of their own. When the turn is free, on this
    /// thread, and then whatever other commits queued meanwhile; otherwise whoever holds the turn runs it before giving
    /// the turn back, so the writer goes from one commit to the next without waiting for a thread to wake.
    /// </summary>
    /// <param name="work">The writes and the commit, given the turn; it rolls back what it began when it fails.</param>
    /// <param name="cancellationToken">Cancels the commit while it waits; once it runs it runs to the end.</param>
    private async Task CommitInTurnAsync(Func<SqlWriterTurn, ValueTask> work, CancellationToken cancellationToken)
    {
        var commit = new QueuedCommit(work, cancellationToken);
        _commits.Enqueue(commit);
        if (_writer.Wait(0, CancellationToken.None))
        {
            await RunCommitsAndReleaseAsync().ConfigureAwait(false);
        }

        await commit.Done.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the writer's turn back. Commits queued while it was held are run first by whoever takes the turn next
    /// this way; the release comes before the look at the queue, so a commit queued in between is never left waiting.
    /// </summary>
    private Task ReleaseTurnAsync()
    {
        _writer.Release();
        return !_commits.IsEmpty && _writer.Wait(0) ? RunCommitsAndReleaseAsync() : Task.CompletedTask;
    }

    /// <summary>In the writer's turn: runs the queued commits, then gives the turn back.</summary>
    private async Task RunCommitsAndReleaseAsync()
    {
        int run = 0;
        while (true)
        {
            while (run < CommitsPerCaller && !_commits.IsEmpty)
            {
                var group = new List<QueuedCommit>();
                while (group.Count < CommitsPerGroup && _commits.TryDequeue(out QueuedCommit? commit))
                {
                    group.Add(commit);
                }

                await RunGroupAsync(group).ConfigureAwait(false);
                run += group.Count;
            }

            _writer.Release();
            if (_commits.IsEmpty || !_writer.Wait(0))
            {
                // Nothing left, or the one who took the turn runs what is left when it gives the turn back.
                return;
            }

            if (run >= CommitsPerCaller)
            {
                // This caller has run enough of other units' commits: the rest go on in the thread pool, in the turn
                // just taken.
                ThreadPool.UnsafeQueueUserWorkItem(static store => _ = store.RunCommitsAndReleaseAsync(), this, preferLocal: false);
                return;
            }
        }
    }

    /// <summary>
    /// Runs queued commits in one transaction, each within a savepoint: a commit that fails is rolled back to its
    /// savepoint and reported to its unit of work alone, the others are written by the one commit at the end. One log
    /// write then carries the pages they share (the orders' and the ledger's last pages, the outbox, the indexes) once.
    /// </summary>
    private async Task RunGroupAsync(List<QueuedCommit> group)
    {
        var ready = new List<QueuedCommit>(group.Count);
        foreach (QueuedCommit commit in group)
        {
            if (commit.CancellationToken.IsCancellationRequested)
            {
                commit.Done.TrySetCanceled(commit.CancellationToken);
            }
            else if (_disposed)
            {
                commit.Done.TrySetException(new ObjectDisposedException(nameof(SqliteOrderKitStore)));
            }
            else
            {
                ready.Add(commit);
            }
        }

        // The commits [0, begun) ran in the transaction; the others run on their own afterwards if it ends early.
        int begun = 0;
        if (ready.Count > 1)
        {
            SqliteTransaction? transaction = null;
            try
            {
                transaction = _anchor!.BeginTransaction(deferred: false);
                var turn = new SqlWriterTurn(_anchor, transaction, _commands, null, Shared: true);
                while (begun < ready.Count)
                {
                    QueuedCommit commit = ready[begun];
                    transaction.Save(GroupSavepoint);
                    begun++;
                    try
                    {
                        await commit.Work(turn).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        commit.Done.TrySetException(e);
                        transaction.Rollback(GroupSavepoint);
                    }

                    transaction.Release(GroupSavepoint);
                }

                transaction.Commit();
                for (int i = 0; i < begun; i++)
                {
                    if (ready[i].Done.TrySetResult())
                    {
                        Interlocked.Increment(ref _groupedCommits);
                    }
                }
            }
            catch (Exception e)
            {
                // The transaction ended with everything in it: none of the commits that ran in it was written.
                Exception failure = e is SqliteException sqlite && SqliteDialect.Instance.Translate(sqlite) is { } translated
                    ? translated
                    : new TransientStoreException("The SQLite transaction this commit shared with others failed; nothing of it was written.", e);
                for (int i = 0; i < begun; i++)
                {
                    ready[i].Done.TrySetException(failure);
                }
            }
            finally
            {
                try
                {
                    transaction?.Dispose();
                }
                catch (Exception e) when (e is SqliteException or InvalidOperationException)
                {
                    // The connection broke: SQLite rolls back what was not committed on its own.
                }

                for (int i = 0; i < begun; i++)
                {
                    _checkpointer?.UnitOfWorkEnded();
                }
            }
        }

        for (int i = begun; i < ready.Count; i++)
        {
            await RunAsync(ready[i]).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(QueuedCommit commit)
    {
        try
        {
            commit.CancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed, this);
            SqliteTransaction transaction;
            try
            {
                transaction = _anchor!.BeginTransaction(deferred: false);
            }
            catch (SqliteException e) when (SqliteDialect.Instance.Translate(e) is { } translated)
            {
                throw translated;
            }

            await commit.Work(new SqlWriterTurn(_anchor, transaction, _commands, null)).ConfigureAwait(false);
            commit.Done.TrySetResult();
        }
        catch (OperationCanceledException) when (commit.CancellationToken.IsCancellationRequested)
        {
            commit.Done.TrySetCanceled(commit.CancellationToken);
        }
        catch (Exception e)
        {
            commit.Done.TrySetException(e);
        }
        finally
        {
            _checkpointer?.UnitOfWorkEnded();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            SqliteCommand pragmas = connection.CreateCommand();
            pragmas.CommandText = _pragmas;
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
            if (_anchor is null)
            {
                _anchor = await OpenAsync(cancellationToken).ConfigureAwait(false);
                _commands.Rows = new SqliteRowStatements(_anchor);
            }

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

    /// <summary>A unit of work's commit waiting for the writer's turn, and what became of it.</summary>
    private sealed class QueuedCommit(Func<SqlWriterTurn, ValueTask> work, CancellationToken cancellationToken)
    {
        public Func<SqlWriterTurn, ValueTask> Work { get; } = work;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        // Completed by whoever runs the commit; its owner goes on in the thread pool, not on the writer's thread.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

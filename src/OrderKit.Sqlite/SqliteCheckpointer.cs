using Microsoft.Data.Sqlite;

namespace OrderKit.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file on a connection of its own, off the path of the units of
/// work: a commit then only appends to the log, and the copying, and the sync of the file it ends with, run on another
/// thread while the next unit of work proceeds.
/// </summary>
/// <remarks>
/// The store calls <see cref="UnitOfWorkEnded"/> after every unit of work; every <see cref="UnitsPerCheckpoint"/>th
/// wakes the loop, which runs a passive checkpoint: it never waits for a writer or a reader, and copies what no reader
/// still needs, while units of work go on appending. The log starts again from its beginning only when a writer
/// begins with every frame copied, which a busy writer never lets a checkpoint running beside it reach; so the loop
/// then takes the store's turn between two units of work and copies the few frames they added meanwhile. The log thus
/// stays about as large as the pages of <see cref="UnitsPerCheckpoint"/> units of work. The store's connections keep
/// SQLite's own automatic checkpoint at <see cref="BackstopPages"/> pages, far above what the loop lets the log reach,
/// so that the log stays bounded even if the loop cannot run.
/// </remarks>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>Units of work between checkpoints.</summary>
    public const int UnitsPerCheckpoint = 256;

    /// <summary>The log size, in pages, at which a connection checkpoints for itself, before its commit returns.</summary>
    public const int BackstopPages = 50_000;

    /// <summary>How long the checkpoint between two units of work waits for readers of an older state of the log before it leaves the log's restart to the next time.</summary>
    public const int RestartWaitMilliseconds = 50;

    private readonly string _connectionString;
    private readonly Func<Func<Task>, CancellationToken, Task> _betweenUnitsOfWork;
    private readonly SemaphoreSlim _due = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _units;
    private long _checkpoints;
    private int _stopped;

    /// <param name="connectionString">The database's connection string.</param>
    /// <param name="betweenUnitsOfWork">Runs an action while no unit of work of the store is open.</param>
    public SqliteCheckpointer(string connectionString, Func<Func<Task>, CancellationToken, Task> betweenUnitsOfWork)
    {
        _connectionString = connectionString;
        _betweenUnitsOfWork = betweenUnitsOfWork;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The checkpoints run so far.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Counts a unit of work; wakes the loop on every <see cref="UnitsPerCheckpoint"/>th.</summary>
    public void UnitOfWorkEnded()
    {
        if (Interlocked.Increment(ref _units) % UnitsPerCheckpoint == 0 && _due.CurrentCount == 0)
        {
            try
            {
                _due.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already due: one checkpoint copies everything up to its start.
            }
        }
    }

    /// <summary>Stops the loop after the checkpoint in progress, if any; a unit of work may still end after this.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _due.WaitAsync(_stop.Token).ConfigureAwait(false);
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(_connectionString);
                        await connection.OpenAsync(_stop.Token).ConfigureAwait(false);
                    }

                    SqliteCommand checkpoint = connection.CreateCommand();
                    SqliteCommand restart = connection.CreateCommand();
                    await using (checkpoint.ConfigureAwait(false))
                    await using (restart.ConfigureAwait(false))
                    {
                        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                        restart.CommandText = $"PRAGMA busy_timeout = {RestartWaitMilliseconds}; PRAGMA wal_checkpoint(RESTART);";

                        // The bulk of the log, beside the units of work; then what they added meanwhile, between two,
                        // waiting a moment for units of work still reading an older state (a unit of work stops
                        // reading before it waits for the writer's turn, so none of them waits for this one).
                        await checkpoint.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                        await _betweenUnitsOfWork(() => restart.ExecuteNonQueryAsync(_stop.Token), _stop.Token).ConfigureAwait(false);
                    }

                    Interlocked.Increment(ref _checkpoints);
                }
                catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException)
                {
                    // Another process's checkpoint holds the lock, or the file cannot be written now: the next turn
                    // tries again on a fresh connection, and the connections' own automatic checkpoint bounds the log
                    // meanwhile.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

using System.Data;
using System.Globalization;
using Npgsql;
using NodaTime;
using OrderKit.Persistence;
using OrderKit.Persistence.Sql;

namespace OrderKit.PostgreSql;

/// <summary>The shared store for storefronts that run on many nodes: every node embeds OrderKit over one PostgreSQL database.</summary>
/// <remarks>
/// <para>Each unit of work is one read-committed transaction on one connection from the
/// <see cref="NpgsqlDataSource"/>. Stock is reserved by one conditional <c>UPDATE … WHERE</c> per cell, in a fixed
/// order, which locks the row until the commit: two nodes can never sell the same unit, and a
/// <c>CHECK</c> constraint (reserved never above on hand) stands behind it. Orders are saved by version
/// (<c>UPDATE … WHERE version = @expected</c>); a stale version is a <see cref="ConcurrencyConflictException"/>.
/// Deadlocks and serialization failures are reported as <see cref="TransientStoreException"/>, which OrderKit
/// retries.</para>
/// <para>Orders, locations, policies, cart-hold lines and outbox payloads are <c>json</c> documents
/// (<see cref="OrderKitJson"/>) beside the columns queries need; instants are <c>timestamptz</c>, kept to the
/// microsecond.</para>
/// <para>The tables live in their own PostgreSQL schema (<c>orderkit</c> unless another is given). The schema is
/// created and migrated on first use, or by <see cref="MigrateAsync"/>, under a transaction-scoped advisory lock,
/// so nodes that start at once apply each migration once. A schema that holds other tables but no OrderKit
/// version, or a version newer than this package, is refused with <see cref="StoredDataException"/>.</para>
/// <para>The outbox is read oldest first by id. Ids are assigned as rows are written, so two units of work on
/// different orders may commit out of id order; nothing is lost (the relay reads every undelivered message), and the
/// events of one order are always in order, because a unit of work holds the order's row lock before it appends
/// them. With relays on several nodes, one at a time reads the outbox: each read takes or renews a lease
/// (<see cref="DefaultRelayLease"/> unless given), and the other stores read nothing until it lapses. A relay that stops is replaced once
/// its lease lapses; what it handed over but had not marked is handed over again, so handlers are idempotent by
/// (order, sequence).</para>
/// <para>Thread safety: thread-safe; register one instance per database as a singleton.</para>
/// </remarks>
public sealed class PostgreSqlOrderKitStore : IOrderKitStore
{
    /// <summary>The schema OrderKit's tables live in unless another is given.</summary>
    public const string DefaultSchema = "orderkit";

    /// <summary>Gets how long the relay lease lasts after each read of the outbox unless the store is given another: the time another node waits to take over from a relay that stopped.</summary>
    public static Duration DefaultRelayLease { get; } = Duration.FromSeconds(30);

    /// <summary>Gets how long after a read a checkout may plan from the stock this store saw, unless the store is given another.</summary>
    public static Duration DefaultSeenStockMaxAge { get; } = Duration.FromSeconds(5);

    private const long MigrationLock = 0x4f72_6465_724b_6974; // "OrderKit"

    private readonly NpgsqlDataSource _dataSource;
    private readonly IClock _clock;
    private readonly string _schema;
    private readonly PostgreSqlDialect _dialect;
    private readonly SqlStoreState _state;
    private readonly Once _migration;
    private readonly string _relayId = Guid.NewGuid().ToString("N");
    private readonly Duration _relayLease;

    /// <summary>Creates a store over a PostgreSQL database; nothing is opened until the first use.</summary>
    /// <param name="dataSource">The data source, usually from DI (<c>AddNpgsqlDataSource</c>); the host owns and disposes it.</param>
    /// <param name="clock">The clock that decides when idempotency records expire and stamps inbox entries.</param>
    /// <param name="schema">The PostgreSQL schema for OrderKit's tables: lower-case letters, digits and underscores, starting with a letter; <see cref="DefaultSchema"/> by default.</param>
    /// <param name="relayLease">How long a relay keeps the outbox after each read (<see cref="DefaultRelayLease"/> when null): longer than a pass of your handlers takes, short enough that a node stepping in after another stopped is soon enough.</param>
    /// <param name="seenStockMaxAge">
    /// How long after the store read a SKU's stock a checkout may plan from it without reading it again
    /// (<see cref="DefaultSeenStockMaxAge"/> when null; <see cref="Duration.Zero"/> to read at every checkout). See
    /// <see cref="IInventoryRepository.FindLastSeenAsync"/>: the reservations are guarded as always, a plan that falls
    /// short is made again over a read, and the commit fails when a policy, expected arrivals or a location changed
    /// since; the age bounds how long stock added on other nodes may go unused in the choice of locations.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="relayLease"/> is not positive, or <paramref name="seenStockMaxAge"/> is negative.</exception>
    public PostgreSqlOrderKitStore(NpgsqlDataSource dataSource, IClock clock, string schema = DefaultSchema, Duration? relayLease = null, Duration? seenStockMaxAge = null)
    {
        if (relayLease is { } lease && lease <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(relayLease), lease, "The relay lease must be positive.");
        }

        Duration seenFor = seenStockMaxAge ?? DefaultSeenStockMaxAge;
        if (seenFor < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(seenStockMaxAge), seenFor, "The largest age of stock as last seen must not be negative.");
        }

        _state = new SqlStoreState { Seen = seenFor > Duration.Zero ? new SeenStock(seenFor) : null };

        _relayLease = relayLease ?? DefaultRelayLease;
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Length is 0 or > 63 || !char.IsAsciiLetterLower(schema[0]) || !schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"The schema must be 1 to 63 lower-case letters, digits and underscores, starting with a letter; got \"{schema}\".", nameof(schema));
        }

        _dataSource = dataSource;
        _clock = clock;
        _schema = schema;
        _dialect = new PostgreSqlDialect(schema);
        _migration = new Once(() => MigrateOnceAsync(CancellationToken.None));
    }

    /// <summary>Creates the schema, or brings it up to this package's version; safe to call from many nodes at once, and more than once.</summary>
    /// <param name="cancellationToken">Cancels the wait for the database.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="StoredDataException">The schema holds other tables but no OrderKit version, or a version newer than this package.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _migration.RunAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IOrderKitTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            return new SqlTransaction(_dialect, connection, transaction, _clock, _state, commands: null, onEnd: null);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        // Takes or renews the relay lease and reads in one statement: a store whose relay does not hold the lease reads
        // nothing, so relays on several nodes never hand the same order's events over side by side.
        Instant now = _clock.GetCurrentInstant();
        NpgsqlCommand command = _dataSource.CreateCommand(
            $"WITH lease AS (INSERT INTO {_schema}.outbox_lease AS l (name, holder, expires_at) VALUES ('relay', $1, $2) " +
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at WHERE l.holder = excluded.holder OR l.expires_at <= $3 RETURNING holder) " +
            $"SELECT id, payload::text FROM {_schema}.outbox WHERE EXISTS (SELECT 1 FROM lease) ORDER BY id LIMIT $4");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue(_relayId);
            command.Parameters.AddWithValue(_dialect.ToDb(now + _relayLease));
            command.Parameters.AddWithValue(_dialect.ToDb(now));
            command.Parameters.AddWithValue(maxCount);
            return await OutboxRows.ReadAsync(command, string.Empty, cancellationToken).ConfigureAwait(false);
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
        NpgsqlCommand command = _dataSource.CreateCommand($"DELETE FROM {_schema}.outbox WHERE id = ANY($1)");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue(messageIds.ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Nodes that start together queue here; the first applies the migrations, the others find them done.
                await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE SCHEMA IF NOT EXISTS {_schema};", cancellationToken).ConfigureAwait(false);
                var tables = new List<string>();
                NpgsqlCommand list = new("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", connection, transaction);
                await using (list.ConfigureAwait(false))
                {
                    list.Parameters.AddWithValue(_schema);
                    NpgsqlDataReader reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            tables.Add(reader.GetString(0));
                        }
                    }
                }

                int version = 0;
                if (tables.Contains("schema_version"))
                {
                    NpgsqlCommand read = new($"SELECT version FROM {_schema}.schema_version WHERE product = 'OrderKit'", connection, transaction);
                    await using (read.ConfigureAwait(false))
                    {
                        version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0, CultureInfo.InvariantCulture);
                    }
                }
                else if (tables.Count > 0)
                {
                    throw new StoredDataException(
                        $"PostgreSQL schema {_schema}",
                        $"it is not OrderKit's: it holds the tables {string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", …" : string.Empty)} but no schema_version. Give OrderKit a schema of its own.");
                }

                if (version > PostgreSqlSchema.Migrations.Length)
                {
                    throw new StoredDataException(
                        $"PostgreSQL schema {_schema}",
                        $"its OrderKit schema is version {version}, newer than the {PostgreSqlSchema.Migrations.Length} this OrderKit.PostgreSql knows; upgrade the package. Nothing was changed.");
                }

                if (version == PostgreSqlSchema.Migrations.Length)
                {
                    return;
                }

                if (version == 0)
                {
                    await ExecuteAsync(connection, transaction, $"CREATE TABLE {_schema}.schema_version (product text PRIMARY KEY, version integer NOT NULL); INSERT INTO {_schema}.schema_version VALUES ('OrderKit', 0);", cancellationToken).ConfigureAwait(false);
                }

                for (int next = version; next < PostgreSqlSchema.Migrations.Length; next++)
                {
                    await ExecuteAsync(connection, transaction, PostgreSqlSchema.Migrations[next].Replace("{schema}", _schema, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, $"UPDATE {_schema}.schema_version SET version = {PostgreSqlSchema.Migrations.Length} WHERE product = 'OrderKit';", cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = new(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

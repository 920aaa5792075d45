using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NodaTime;
using OrderKit.PostgreSql;

// In the namespace of OrderKitBuilder, so that UsePostgreSql appears beside AddOrderKit without another using.
#pragma warning disable IDE0130
namespace OrderKit;
#pragma warning restore IDE0130

/// <summary>Registers the PostgreSQL store with <c>AddOrderKit</c>.</summary>
public static class OrderKitPostgreSqlBuilderExtensions
{
    /// <summary>Keeps everything in a PostgreSQL database shared by every node of the storefront.</summary>
    /// <param name="builder">The builder that <c>AddOrderKit</c> returned.</param>
    /// <param name="dataSource">The data source; the host owns it. Null to take the <see cref="NpgsqlDataSource"/> registered in DI (<c>AddNpgsqlDataSource</c>).</param>
    /// <param name="schema">The PostgreSQL schema for OrderKit's tables.</param>
    /// <param name="relayLease">How long a node's relay keeps the outbox after each read; <see cref="PostgreSqlOrderKitStore.DefaultRelayLease"/> when null.</param>
    /// <param name="seenStockMaxAge">How long after a read a checkout may plan from the stock the store saw; <see cref="PostgreSqlOrderKitStore.DefaultSeenStockMaxAge"/> when null, <see cref="Duration.Zero"/> to read at every checkout.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="relayLease"/> is not positive, or <paramref name="seenStockMaxAge"/> is negative.</exception>
    public static OrderKitBuilder UsePostgreSql(this OrderKitBuilder builder, NpgsqlDataSource? dataSource = null, string schema = PostgreSqlOrderKitStore.DefaultSchema, Duration? relayLease = null, Duration? seenStockMaxAge = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(schema);
        if (relayLease is { } lease && lease <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(relayLease), lease, "The relay lease must be positive.");
        }

        if (seenStockMaxAge is { } age && age < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(seenStockMaxAge), age, "The largest age of stock as last seen must not be negative.");
        }

        return builder.UseStore(sp => new PostgreSqlOrderKitStore(dataSource ?? sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IClock>(), schema, relayLease, seenStockMaxAge));
    }
}

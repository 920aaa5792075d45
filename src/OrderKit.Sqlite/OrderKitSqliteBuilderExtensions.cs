using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OrderKit.Sqlite;

// In the namespace of OrderKitBuilder, so that UseSqlite appears beside AddOrderKit without another using.
#pragma warning disable IDE0130
namespace OrderKit;
#pragma warning restore IDE0130

/// <summary>Registers the SQLite store with <c>AddOrderKit</c>.</summary>
public static class OrderKitSqliteBuilderExtensions
{
    /// <summary>Keeps orders, stock, the outbox, idempotency records and the inbox in one SQLite file.</summary>
    /// <param name="builder">The builder that <c>AddOrderKit</c> returned.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=orders.db</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is not valid, or names no database.</exception>
    public static OrderKitBuilder UseSqlite(this OrderKitBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, static _ => { });

    /// <summary>Keeps orders, stock, the outbox, idempotency records and the inbox in one SQLite file, with options such as <see cref="SqliteStoreOptions.Durability"/>.</summary>
    /// <param name="builder">The builder that <c>AddOrderKit</c> returned.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=orders.db</c>.</param>
    /// <param name="configure">Sets the store's options; called once, here, and the options are checked at once.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is not valid, or names no database.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public static OrderKitBuilder UseSqlite(this OrderKitBuilder builder, string connectionString, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        SqliteOrderKitStore.Check(connectionString, nameof(connectionString));
        var options = new SqliteStoreOptions();
        configure(options);
        options.Validate();
        return builder.UseStore(sp => new SqliteOrderKitStore(connectionString, sp.GetRequiredService<IClock>(), options));
    }
}

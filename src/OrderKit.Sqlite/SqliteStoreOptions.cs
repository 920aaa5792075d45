namespace OrderKit.Sqlite;

/// <summary>How the SQLite store keeps its file.</summary>
/// <remarks>
/// <para>Set the options in <see cref="OrderKitSqliteBuilderExtensions.UseSqlite(OrderKitBuilder, string, Action{SqliteStoreOptions})"/>,
/// which checks them there, once, or pass an instance to the store's constructor, which checks it; a bad value throws
/// naming the option. The store copies the values it needs when it is made.</para>
/// <para>Thread safety: set the options before the store is made.</para>
/// </remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets what a commit survives once it has returned.</summary>
    /// <value>The default value is <see cref="SqliteDurability.SurvivesProcessCrash"/>.</value>
    public SqliteDurability Durability { get; set; } = SqliteDurability.SurvivesProcessCrash;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Durability))
        {
            throw new ArgumentOutOfRangeException(nameof(Durability), Durability, $"{nameof(SqliteStoreOptions)}.{nameof(Durability)} must be one of {string.Join(", ", Enum.GetNames<SqliteDurability>())}.");
        }
    }

    /// <summary>The value of SQLite's <c>synchronous</c> setting for the chosen durability.</summary>
    internal string SynchronousPragma => Durability == SqliteDurability.SurvivesPowerLoss ? "FULL" : "NORMAL";
}

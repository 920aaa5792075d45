using SQLitePCL;

namespace OrderKit.Sqlite;

/// <summary>
/// SQLite's count of the memory it uses, which it keeps under one lock for the whole process: every allocation of
/// every connection takes it, so connections on different threads queue for it. OrderKit turns the count off the
/// first time a store is made, unless the application keeps it with the switch <see cref="KeepSwitch"/>.
/// </summary>
/// <remarks>
/// SQLite takes the setting only before it first opens a database in the process; after that it refuses it and the
/// count stays on, which costs speed, never correctness. With the count off, <c>sqlite3_memory_used</c> and
/// <c>sqlite3_memory_highwater</c> report nothing and a soft heap limit is not enforced.
/// </remarks>
internal static class SqliteMemoryStatistics
{
    /// <summary>The <see cref="AppContext"/> switch that keeps the count on: <c>OrderKit.Sqlite.KeepMemoryStatistics</c>.</summary>
    public const string KeepSwitch = "OrderKit.Sqlite.KeepMemoryStatistics";

    // SQLITE_CONFIG_MEMSTATUS, from sqlite3.h.
    private const int ConfigMemoryStatus = 9;

    private static readonly Lazy<bool> s_turnedOff = new(TryTurnOff);

    /// <summary>Whether OrderKit turned the count off in this process (false: kept by the switch, or SQLite was already in use).</summary>
    public static bool TurnedOff => s_turnedOff.Value;

    /// <summary>Turns the count off once per process, before this store's first connection opens.</summary>
    public static void Configure() => _ = s_turnedOff.Value;

    /// <summary>Whether the application set the switch that keeps the count on.</summary>
    internal static bool Kept => AppContext.TryGetSwitch(KeepSwitch, out bool keep) && keep;

    /// <summary>Asks SQLite to turn the count off, unless the switch keeps it: true when SQLite took the setting.</summary>
    internal static bool TryTurnOff()
    {
        if (Kept)
        {
            return false;
        }

        // The provider Microsoft.Data.Sqlite uses, set up as it sets it up; then the setting, which SQLite refuses
        // (SQLITE_MISUSE) once it has started.
        Batteries_V2.Init();
        return raw.sqlite3_config(ConfigMemoryStatus, 0) == raw.SQLITE_OK;
    }
}

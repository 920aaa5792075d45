using System.Runtime.CompilerServices;
using NodaTime;

namespace OrderKit.Sqlite.Tests;

/// <summary>
/// Makes a store when the test assembly loads, before any test opens a connection of its own, as an application
/// does at its start: SQLite takes its process-wide settings only before its first database.
/// </summary>
internal static class FirstUseOfSqlite
{
#pragma warning disable CA2255 // A test assembly's start-up, not a library's.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void MakeAStore() => _ = new SqliteOrderKitStore("Data Source=first-use.db;Mode=Memory", SystemClock.Instance);
}

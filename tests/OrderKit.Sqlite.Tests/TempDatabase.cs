namespace OrderKit.Sqlite.Tests;

/// <summary>A SQLite file in a folder of its own, deleted with its WAL files afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("orderkit-sqlite-").FullName;
        Path = System.IO.Path.Combine(Folder, "orders.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a pooled handle; the temp folder is cleaned by the system.
        }
    }
}

namespace OrderKit.Sqlite;

/// <summary>What a commit on the SQLite store survives once it has returned.</summary>
public enum SqliteDurability
{
    /// <summary>
    /// A crash of the process: the commit is in the log when it returns, and the log reaches the disk at the next
    /// checkpoint (SQLite's <c>synchronous = NORMAL</c> in WAL mode). A power cut or a crash of the operating system
    /// may lose the last commits before it, never half of one. The default.
    /// </summary>
    SurvivesProcessCrash = 0,

    /// <summary>
    /// A power cut or a crash of the operating system as well: every commit waits for the log to reach the disk before
    /// it returns (<c>synchronous = FULL</c>). Commits that share a writer's turn share the sync.
    /// </summary>
    SurvivesPowerLoss = 1,
}

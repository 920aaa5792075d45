using System.Diagnostics;

namespace OrderKit.Reliability.Tests;

/// <summary>A worker process (OrderKit.Reliability.Worker) and the log it writes after each committed step; the log's path is its last argument.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private WorkerProcess(Process process, string log)
    {
        _process = process;
        Log = log;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public string Log { get; }

    public static WorkerProcess Start(string log, params string[] args)
    {
        string worker = Path.Combine(AppContext.BaseDirectory, "OrderKit.Reliability.Worker.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(worker);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(log);

        File.WriteAllText(log, string.Empty);
        Process process = Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
        return new WorkerProcess(process, log);
    }

    /// <summary>The log's lines that start with a word (all lines when null).</summary>
    public string[] Lines(string? first = null)
    {
        using var stream = new FileStream(Log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        string[] lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return first is null ? lines : [.. lines.Where(l => l.StartsWith(first + " ", StringComparison.Ordinal))];
    }

    /// <summary>Waits until the log has the given number of lines starting with a word; fails if the worker ends first.</summary>
    public async Task WaitForAsync(string? first, int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (Lines(first).Length < count)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The worker ended (exit code {_process.ExitCode}) before logging {count} lines: {await _errors}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The worker logged {Lines(first).Length} of {count} lines in {timeout}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Kills the process with SIGKILL: no finally block, no disposal, no flush runs in it.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the worker to finish on its own and checks that it succeeded.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The worker failed with exit code {_process.ExitCode}: {await _errors}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

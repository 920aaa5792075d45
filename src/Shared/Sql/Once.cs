namespace OrderKit.Persistence.Sql;

/// <summary>Runs a piece of start-up work once per store instance; callers that come while it runs wait for it, and a failed run is tried again by the next caller.</summary>
internal sealed class Once(Func<Task> work)
{
    private readonly Lock _gate = new();
    private Task? _run;

    public Task RunAsync(CancellationToken cancellationToken)
    {
        Task run;
        lock (_gate)
        {
            if (_run is null || _run.IsFaulted || _run.IsCanceled)
            {
                _run = work();
            }

            run = _run;
        }

        return run.IsCompletedSuccessfully ? Task.CompletedTask : run.WaitAsync(cancellationToken);
    }
}

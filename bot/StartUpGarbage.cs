namespace TheModel.Bot;

/// <summary>
/// Start-up (migrations, model building, first queries) leaves garbage that would otherwise sit in the heap until the
/// first busy minute: one compacting collection once the bot is serving gives the memory back (PERFORMANCE.md, "Memory
/// and start"). Once per host, which in production is once per process; the integration tests, which start many hosts
/// in one process, leave it out (it would compact their whole heap at every start).
/// </summary>
public sealed class StartUpGarbage(IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        started = lifetime.ApplicationStarted.Register(() =>
            ThreadPool.QueueUserWorkItem(_ => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        started.Dispose();
        return Task.CompletedTask;
    }
}

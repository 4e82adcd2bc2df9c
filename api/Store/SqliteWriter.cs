using System.Collections.Concurrent;

namespace TheModel.Api.Store;

/// <summary>
/// This host's <see cref="SqliteWriter"/>s, one per SQLite file (connection string). A singleton of the host, carried in
/// the SQLite contexts' options (<see cref="SqliteWritersExtension"/>): each host in a process (the integration tests
/// start many) has its own, and disposing the host ends its writer threads.
/// </summary>
public sealed class SqliteWriters : IDisposable
{
    private readonly ConcurrentDictionary<string, SqliteWriter> writers = new();

    internal SqliteWriter For(string connectionString) => writers.GetOrAdd(connectionString, key => new SqliteWriter(key));

    public void Dispose()
    {
        foreach (var writer in writers.Values)
        {
            writer.Stop();
        }
    }
}

/// <summary>
/// The one writer of a SQLite file in this host: units of work commit one after another on a thread of its own.
/// SQLite admits one writer at a time; a lock handed over through the thread pool would leave the file idle while the
/// next writer's continuation waits behind other requests' work. Here the next commit starts the moment the previous
/// one ends, and each caller continues on the pool once its own commit is done. The thread ends when the
/// file has had nothing to write for a while and starts again on the next write.
/// </summary>
internal sealed class SqliteWriter
{
    private static readonly TimeSpan IdleEnd = TimeSpan.FromSeconds(10);

    private readonly object gate = new();
    private readonly Queue<Work> queue = new();
    private readonly string name;
    private bool running;
    private bool stopping;
    private Thread? thread;

    internal SqliteWriter(string name) => this.name = name;

    /// <summary>Runs <paramref name="save"/> in this file's turn; SQLite's own calls complete synchronously on the writer's thread.</summary>
    public Task<int> RunAsync(Func<Task<int>> save, CancellationToken ct)
    {
        var work = new Work(save, ct);
        lock (gate)
        {
            queue.Enqueue(work);
            if (!running)
            {
                running = true;
                thread = new Thread(Loop) { IsBackground = true, Name = "SQLite writer" };
                thread.Start();
            }
            else
            {
                Monitor.Pulse(gate);
            }
        }
        return work.Done.Task;
    }

    private void Loop()
    {
        while (true)
        {
            Work work;
            lock (gate)
            {
                while (queue.Count == 0)
                {
                    if (stopping || (!Monitor.Wait(gate, IdleEnd) && queue.Count == 0))
                    {
                        running = false;
                        return;
                    }
                }
                work = queue.Dequeue();
            }
            work.Run();
        }
    }

    /// <summary>
    /// Its host is going: the thread ends once the queue is empty instead of idling. Work that still comes (a late save
    /// while the host shuts down) is run all the same, on a thread that ends as soon as it is done.
    /// </summary>
    internal void Stop()
    {
        lock (gate)
        {
            stopping = true;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the writer's thread to end; true when none runs.</summary>
    internal bool WaitUntilEnded(TimeSpan timeout)
    {
        Thread? current;
        lock (gate)
        {
            current = thread;
        }
        return current is null || current.Join(timeout);
    }

    public override string ToString() => $"SQLite writer for {name}";

    private sealed class Work(Func<Task<int>> save, CancellationToken ct)
    {
        public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            if (ct.IsCancellationRequested)
            {
                Done.TrySetCanceled(ct);
                return;
            }
            try
            {
                Done.TrySetResult(save().GetAwaiter().GetResult());
            }
            catch (OperationCanceledException ex)
            {
                Done.TrySetCanceled(ex.CancellationToken);
            }
            catch (Exception ex)
            {
                Done.TrySetException(ex);
            }
        }
    }
}

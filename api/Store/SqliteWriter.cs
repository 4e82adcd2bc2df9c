namespace TheModel.Api.Store;

/// <summary>
/// The one writer of a SQLite file in this process: units of work commit one after another on a thread of its own.
/// SQLite admits one writer at a time; queuing writers on a lock handed over through the thread pool left the file
/// idle while the next writer's continuation waited behind other requests' work. Here the next commit starts the moment
/// the previous one ends, and each caller continues on the pool once its own commit is done. The thread ends when the
/// file has had nothing to write for a while and starts again on the next write.
/// </summary>
internal sealed class SqliteWriter
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SqliteWriter> Writers = new();
    private static readonly TimeSpan IdleEnd = TimeSpan.FromSeconds(10);

    private readonly object gate = new();
    private readonly Queue<Work> queue = new();
    private readonly string name;
    private bool running;

    private SqliteWriter(string name) => this.name = name;

    public static SqliteWriter For(string connectionString) => Writers.GetOrAdd(connectionString, key => new SqliteWriter(key));

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
                new Thread(Loop) { IsBackground = true, Name = "SQLite writer" }.Start();
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
                    if (!Monitor.Wait(gate, IdleEnd) && queue.Count == 0)
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

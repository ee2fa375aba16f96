using System.Runtime.ExceptionServices;

namespace EdgeSeg.Training.Kernels;

/// <summary>
/// Persistent worker threads behind <see cref="EngineThreads.For"/>. One loop at a time (the caller holds the gate in
/// <see cref="EngineThreads"/>): the calling thread and up to Count - 1 workers take indices from one atomic counter
/// until none are left. Unlike <c>Parallel.For</c>, a loop allocates nothing (no tasks, replicas, partition state or
/// options per call), and the workers block between loops, so an idle trainer uses no CPU. The threads live for the
/// process (background threads: they never keep it alive), so the pool is static and never disposed.
/// </summary>
internal static class EngineWorkerPool
{
    private static readonly List<Thread> s_workers = [];
    private static readonly SemaphoreSlim s_start = new(0);
    private static readonly ManualResetEventSlim s_done = new(false);

    // The current loop. Written by the caller before it releases the workers (the semaphore's release is a full
    // fence) and read by a worker only after it has taken a permit; cleared only after every permit's work is done.
    private static Action<int>? s_body;
    private static int s_count;
    private static int s_next;
    private static int s_pending;
    private static Exception? s_error;

    /// <summary>Runs <paramref name="body"/>(0..count-1) on the calling thread and <paramref name="threads"/> - 1 workers; returns when all are done.</summary>
    /// <exception cref="Exception">The first exception <paramref name="body"/> threw (the remaining indices are skipped).</exception>
    public static void Run(int count, int threads, Action<int> body)
    {
        var helpers = threads - 1;
        while (s_workers.Count < helpers)
        {
            var worker = new Thread(WorkerLoop) { IsBackground = true, Name = "EdgeSeg engine worker" };
            worker.Start();
            s_workers.Add(worker);
        }

        s_body = body;
        s_count = count;
        s_next = 0;
        s_error = null;
        s_pending = helpers;
        s_done.Reset();

        // Exactly one permit per helper; a fast worker may take two permits of the same loop (its second pass finds
        // no index left), which still counts each permit once in s_pending.
        s_start.Release(helpers);
        Work();
        s_done.Wait();
        s_body = null;
        if (s_error is { } error)
        {
            s_error = null;
            ExceptionDispatchInfo.Throw(error);
        }
    }

    private static void WorkerLoop()
    {
        EngineThreads.MarkWorkerThread();
        while (true)
        {
            s_start.Wait();
            Work();
            if (Interlocked.Decrement(ref s_pending) == 0)
            {
                s_done.Set();
            }
        }
    }

    private static void Work()
    {
        var body = s_body!;
        var count = s_count;
        int i;
        while ((i = Interlocked.Increment(ref s_next) - 1) < count)
        {
            try
            {
                body(i);
            }
            catch (Exception e)
            {
                // Keep the first failure for the caller and hand out no more indices.
                Interlocked.CompareExchange(ref s_error, e, null);
                Interlocked.Exchange(ref s_next, count);
            }
        }
    }
}

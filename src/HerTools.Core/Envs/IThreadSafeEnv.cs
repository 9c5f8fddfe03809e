namespace HerTools.Core.Envs;

/// <summary>
/// Opts an environment into concurrent stepping: separate instances of it may be reset and stepped at the same time on
/// different threads (one instance is never used by two threads at once). That holds when instances share no mutable
/// state: no static caches or generators, no native handle or file used by all of them. Training with
/// <c>n_envs</c> &gt; 1 then steps its copies on worker threads, which pays when a step takes long (a simulator, a
/// process, a sleep); results do not depend on it, since each copy only ever touches its own state.
/// </summary>
public interface IThreadSafeEnv
{
}

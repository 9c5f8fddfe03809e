namespace HerTools.Core.Envs;

/// <summary>
/// The message types of the environment-process protocol (docs/process-env-protocol.md has every byte). A frame is a
/// little-endian <c>u32</c> payload length, then the payload: one type byte and its body. Every request gets exactly one
/// reply frame, or <see cref="Error"/>.
/// </summary>
internal static class ProcessEnvProtocol
{
    public const uint Version = 1;
    /// <summary>Frames longer than this are not the protocol (a child printing text to stdout, typically).</summary>
    public const int MaxFrameBytes = 64 << 20;

    // Host to child.
    public const byte Hello = 1, Reset = 2, Step = 3, Compute = 4, GetState = 5, SetState = 6, Close = 7;
    // Child to host.
    public const byte Spaces = 129, Observation = 130, StepResult = 131, Computed = 132, State = 133, Ok = 134, Error = 255;

    /// <summary>Flags of <see cref="Spaces"/>.</summary>
    public const byte ComputesTerminatedFlag = 1, SavesStateFlag = 2;

    public static string Name(byte type) => type switch
    {
        Hello => "hello",
        Reset => "reset",
        Step => "step",
        Compute => "compute",
        GetState => "get_state",
        SetState => "set_state",
        Close => "close",
        _ => $"message {type}",
    };
}

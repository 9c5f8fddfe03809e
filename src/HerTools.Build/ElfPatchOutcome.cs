namespace HerTools.Build;

/// <summary>What <see cref="ElfVersionNeedPatcher"/> found in a file, and so whether it changed it.</summary>
public enum ElfPatchOutcome
{
    /// <summary>The version need was present and not weak; it is weak now.</summary>
    Patched,

    /// <summary>The version need was already weak (a second run, or an upstream fix): nothing written.</summary>
    AlreadyWeak,

    /// <summary>An ELF file without that version need: left untouched.</summary>
    NoSuchNeed,

    /// <summary>Not an ELF file at all (a Windows DLL, a macOS dylib, text): left untouched.</summary>
    NotElf,
}

namespace HerTools.Cli;

/// <summary>Entry point of the her-tools .NET tool: wires the commands together.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("her-tools: no commands yet");
        return 2;
    }
}

namespace Msme.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => BatchCli.RunAsync(args, Console.Out, Console.Error);
}

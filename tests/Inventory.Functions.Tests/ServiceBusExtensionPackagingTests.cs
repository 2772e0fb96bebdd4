using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Inventory.Functions.Functions;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Inventory.Functions.Tests;

/// <summary>
/// Builds a copy of the Functions project with the packaging switch (-p:IncludeServiceBusExtension=true, what azd sets)
/// once for the class. The Worker SDK writes obj/.../WorkerExtensions/WorkerExtensions.csproj, the project of host
/// extensions the package carries, before restoring it; that restore needs a registry serving the host extension, which
/// ours does not, so it may fail here: the generated file is what proves the package would carry the extension.
/// </summary>
public sealed class PackagingBuild : IDisposable
{
    public PackagingBuild()
    {
        var root = RepoRoot();
        Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        DefaultProject = Path.Combine(root, "functions", "Inventory.Functions");
        // A sibling of the real project, so its relative project references and the repo's props apply unchanged.
        Copy = Path.Combine(root, "functions", $".packaging-check-{Guid.NewGuid():N}");
        CopyTree(DefaultProject, Copy);
        (ExitCode, Output) = Run("dotnet", "build", Path.Combine(Copy, "Inventory.Functions.csproj"), "-c", Configuration, "-nologo",
            "-p:IncludeServiceBusExtension=true", "-p:BuildProjectReferences=false");
    }

    public string Configuration { get; }
    public string DefaultProject { get; }
    public string Copy { get; }
    public int ExitCode { get; }
    public string Output { get; }

    public string Intermediate(string project) => Path.Combine(project, "obj", Configuration, "net10.0");

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above the test output.");
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var name = Path.GetFileName(file);
            if (name is "local.settings.json" or "Directory.Build.rsp") continue;
            File.Copy(file, Path.Combine(to, name));
        }
        foreach (var dir in Directory.EnumerateDirectories(from))
            if (Path.GetFileName(dir) is not ("bin" or "obj")) CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    private static (int, string) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(9)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The packaging build took longer than 9 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose()
    {
        try { Directory.Delete(Copy, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The package azd deploys carries the Service Bus host extension; the default offline build does not change.</summary>
public sealed partial class ServiceBusExtensionPackagingTests(PackagingBuild build) : IClassFixture<PackagingBuild>
{
    [Fact]
    public void The_packaging_build_puts_the_Service_Bus_host_extension_5x_into_the_generated_extensions_project()
    {
        var generated = Path.Combine(build.Intermediate(build.Copy), "WorkerExtensions", "WorkerExtensions.csproj");
        Assert.True(File.Exists(generated), $"No generated extensions project at {generated}. Build output:\n{build.Output}");
        var reference = ServiceBusReference().Match(File.ReadAllText(generated));
        Assert.True(reference.Success, $"The generated extensions project does not reference Microsoft.Azure.WebJobs.Extensions.ServiceBus:\n{File.ReadAllText(generated)}");
        Assert.Matches(@"^5\.\d+\.\d+$", reference.Groups[1].Value);
    }

    [Fact]
    public void The_packaging_build_fails_only_where_the_registry_lacks_the_host_extension()
    {
        if (build.ExitCode == 0) return; // a registry that serves the extension: the whole package built
        var errors = build.Output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Matches(@"WorkerExtensions\.csproj : error NU1101: .*Microsoft\.Azure\.WebJobs\.Extensions\.ServiceBus", e));
    }

    [Fact]
    public void The_switch_changes_no_binding_in_functions_metadata()
    {
        var packaged = Path.Combine(build.Intermediate(build.Copy), "functions.metadata");
        var @default = Path.Combine(build.Intermediate(build.DefaultProject), "functions.metadata");
        Assert.True(File.Exists(packaged), $"No functions.metadata from the packaging build. Build output:\n{build.Output}");
        Assert.Equal(File.ReadAllText(@default), File.ReadAllText(packaged));
    }

    [Fact]
    public void The_default_build_names_no_host_extension_and_references_none()
    {
        Assert.Empty(typeof(ReceivingFunctions).Assembly.GetCustomAttributes<ExtensionInformationAttribute>());
        var generated = File.ReadAllText(Path.Combine(build.Intermediate(build.DefaultProject), "WorkerExtensions", "WorkerExtensions.csproj"));
        Assert.DoesNotContain("ServiceBus", generated, StringComparison.Ordinal);
    }

    [GeneratedRegex("""<PackageReference Include="Microsoft\.Azure\.WebJobs\.Extensions\.ServiceBus" Version="([^"]+)" />""")]
    private static partial Regex ServiceBusReference();
}

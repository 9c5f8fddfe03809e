# Dot-sourced by the tests of the library packages (HerTools.Core, HerTools.Policy, HerTools.Templates): where they
# are, and an offline NuGet setup that installs and restores from them alone.

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-HerToolsVersion {
    (& dotnet msbuild (Join-Path $script:RepositoryRoot 'src/HerTools.Core') -getProperty:Version -nologo | Out-String).Trim()
}

# The folder holding the packed HerTools.Policy, HerTools.Core and HerTools.Templates packages: HERTOOLS_LIBRARY_PACKAGES
# (scripts/test.sh packs them into ./artifacts), or packed here from the Release build into $Scratch.
function Get-LibraryPackageFolder {
    param([Parameter(Mandatory)] [string] $Scratch)
    if ($env:HERTOOLS_LIBRARY_PACKAGES) { return $env:HERTOOLS_LIBRARY_PACKAGES }
    foreach ($project in 'src/HerTools.Policy', 'src/HerTools.Core', 'templates/HerTools.Templates') {
        dotnet pack (Join-Path $script:RepositoryRoot $project) -c Release --no-build -o $Scratch -v:q -nologo | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "dotnet pack $project failed with exit code $LASTEXITCODE (build the solution in Release first)" }
    }
    $Scratch
}

# A nuget.config in $Folder that restores from $Feed alone, offline: packages the machine already has (TorchSharp,
# xunit) come from its package folder as a read-only fallback, and what is restored goes to a package folder of its
# own, so no HerTools package of the same version from elsewhere stands in for the ones just packed.
function New-OfflineNuGetConfig {
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $Feed, [Parameter(Mandatory)] [string] $PackageFolder)
    $machine = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    New-Item -ItemType Directory -Path $Folder, $PackageFolder -Force | Out-Null
    $config = @"
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$PackageFolder" />
  </config>
  <packageSources>
    <clear />
    <add key="hertools" value="$Feed" />
  </packageSources>
  <fallbackPackageFolders>
    <clear />
    <add key="machine" value="$machine" />
  </fallbackPackageFolders>
</configuration>
"@
    Set-Content -Path (Join-Path $Folder 'nuget.config') -Value $config
}

#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Lays out the HerTools module as PowerShell installs modules (artifacts/module/HerTools/<version>/) with the
    natives of Windows x64, macOS arm64 and Linux x64, and with -PackageDestination packs it as a PSResourceGet
    package (HerTools.<version>.nupkg) for Publish-PSResource / Install-PSResource.

.DESCRIPTION
    Builds src/HerTools.PowerShell for this machine (module/bin/: the cmdlets, their dependencies and this
    platform's TorchSharp native files flat beside TorchSharp.dll, patched by the build on Linux), then builds
    it for each other platform (linux-x64, win-x64, osx-arm64) into its own bin/ folder and takes from there
    the native files module/bin lacks. TorchSharp and SkiaSharp look for their natives beside their assemblies
    under the platform's own names (libLibTorchSharp.so, LibTorchSharp.dll, libLibTorchSharp.dylib; libtorch_cpu.so,
    torch_cpu.dll, libtorch_cpu.dylib), so the three platforms' files sit side by side in one folder without a
    clash and each platform loads only its own: one package, `Install-PSResource HerTools` everywhere
    (docs/install.md explains the choice). A name two platforms share with different bytes stops the script.

    The manifest is module/HerTools.psd1 with bin/ dropped from its paths, the version of Directory.Build.props
    (the one version of everything that ships) and the CHANGELOG.md section of that version as release notes.

.PARAMETER Destination
    The folder to lay the module out in (the one that goes on $env:PSModulePath). Default: artifacts/module.

.PARAMETER PackageDestination
    Also packs the laid-out module (Compress-PSResource) into this folder as HerTools.<version>.nupkg: a local
    PSResourceGet repository is a folder of such files (Register-PSResourceRepository -Uri <folder>).

.PARAMETER Version
    Packs this version instead of Directory.Build.props' (a release tag's: the builds get -p:Version too).

.PARAMETER Configuration
    The build configuration. Default: Release.

.PARAMETER NoBuild
    Takes module/bin/ as it is instead of building it first (the other platforms' natives are still built).

.EXAMPLE
    pwsh scripts/pack-module.ps1 -PackageDestination artifacts
    Register-PSResourceRepository -Name local -Uri "$PWD/artifacts" -Trusted
    Install-PSResource HerTools -Repository local -Scope CurrentUser
#>
[CmdletBinding()]
param(
    [string] $Destination = (Join-Path $PSScriptRoot '..' 'artifacts' 'module'),
    [string] $PackageDestination,
    [string] $Version,
    [string] $Configuration = 'Release',
    [switch] $NoBuild
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$module = Join-Path $root 'module'
$bin = Join-Path $module 'bin'
$project = Join-Path $root 'src' 'HerTools.PowerShell'
# module/HerTools.psd1 is the module's own manifest (the repository's HerTools.psd1 only forwards to it).
$manifestPath = Join-Path $module 'HerTools.psd1'

# Each platform the module ships for, and the TorchSharp native library that tells its files apart.
$platforms = [ordered]@{
    'linux-x64' = 'libLibTorchSharp.so'
    'win-x64'   = 'LibTorchSharp.dll'
    'osx-arm64' = 'libLibTorchSharp.dylib'
}

function Invoke-Dotnet {
    param([Parameter(Mandatory)] [string[]] $Arguments)
    & dotnet @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed (exit code $LASTEXITCODE)" }
}

# The version of everything that ships, and the libtorch files nothing loads (Directory.Build.targets drops them
# from every build; a module/bin built before that rule may still hold them).
$properties = (& dotnet msbuild $project -getProperty:Version -getProperty:HerToolsUnusedNatives -nologo | ConvertFrom-Json).Properties
# (PowerShell names are case-blind: $Version is the parameter, $packVersion what is packed.)
$versionArguments = if ($Version) { @("-p:Version=$Version") } else { @() }
$packVersion = if ($Version) { $Version } else { $properties.Version }
if (-not $packVersion) { throw "could not read the Version property of $project" }
$unused = @($properties.HerToolsUnusedNatives -split ';' | Where-Object { $_ })

if (-not $NoBuild) {
    Write-Verbose "Building src/HerTools.PowerShell ($Configuration) into module/bin"
    Invoke-Dotnet (@('build', $project, '-c', $Configuration, '--nologo', '-v', 'quiet') + $versionArguments)
}
foreach ($required in 'HerTools.PowerShell.dll', 'TorchSharp.dll') {
    if (-not (Test-Path (Join-Path $bin $required))) {
        throw "module/bin/$required is missing: build the module first (dotnet build src/HerTools.PowerShell), or run without -NoBuild."
    }
}
$machinePlatform = @($platforms.Keys | Where-Object { Test-Path (Join-Path $bin $platforms[$_]) })
if ($machinePlatform.Count -ne 1) { throw "module/bin holds the natives of $($machinePlatform.Count) platforms; rebuild it (dotnet build src/HerTools.PowerShell)." }

$target = Join-Path ([System.IO.Path]::GetFullPath($Destination)) 'HerTools' $packVersion
if (Test-Path $target) { Remove-Item -Recurse -Force $target }
New-Item -ItemType Directory -Force -Path $target | Out-Null

# This machine's build output as it is: the assembly, its dependencies (with their .pdb, so an error's stack
# trace names file and line), the native files flat and already patched.
Get-ChildItem -Path $bin -Force | Where-Object { $_.Name -notin $unused } | Copy-Item -Destination $target -Recurse -Force
# What ships beside it: the format file, en-US/ (cmdlet help, about_HerTools) and the package's README.md.
# help/ is the help's source, HerTools.psd1 is written below.
Get-ChildItem -Path $module -Force | Where-Object { $_.Name -notin 'bin', 'help', 'HerTools.psd1' } |
    Copy-Item -Destination $target -Recurse -Force

# The other platforms: the same project built for their RID (into src/HerTools.PowerShell/bin/, never module/bin);
# what it has that module/bin has not are its native files. Managed files are the same for every platform.
$shipped = @{}
Get-ChildItem -Path $target -File | ForEach-Object { $shipped[$_.Name] = $_.FullName }
foreach ($platform in $platforms.Keys | Where-Object { $_ -ne $machinePlatform[0] }) {
    $output = Join-Path $project 'bin' $Configuration 'net10.0' $platform
    Write-Verbose "Building src/HerTools.PowerShell for $platform into $output"
    Invoke-Dotnet (@('build', $project, '-c', $Configuration, '-r', $platform, '--nologo', '-v', 'quiet') + $versionArguments)
    if (-not (Test-Path (Join-Path $output $platforms[$platform]))) { throw "the $platform build has no $($platforms[$platform]) in $output" }
    foreach ($file in Get-ChildItem -Path $output -File) {
        if (-not $shipped.ContainsKey($file.Name)) {
            Copy-Item -Path $file.FullName -Destination $target
            $shipped[$file.Name] = $file.FullName
            Write-Verbose "  $platform native: $($file.Name)"
        }
        elseif ($file.Extension -in '.dll', '.so', '.dylib' -and
                (Get-FileHash $file.FullName).Hash -ne (Get-FileHash $shipped[$file.Name]).Hash -and
                $file.Name -notlike 'HerTools.*') {
            # Two platforms' files under one name would leave one platform without its own.
            throw "$($file.Name) of $platform differs from the one already in the module ($($shipped[$file.Name]))."
        }
    }
}

# The manifest with bin/ dropped from its paths, as everything now sits beside it, and the shipped version.
$text = Get-Content -Raw $manifestPath
$packed = [regex]::Replace($text, "'bin/([^']+)'", "'`$1'")
$packed = [regex]::Replace($packed, "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "`${1}'$packVersion'")
# Release notes: this version's section of CHANGELOG.md ("## 0.1.0 - date" up to the next "## ").
$changelog = Get-Content -Raw (Join-Path $root 'CHANGELOG.md')
$section = [regex]::Match($changelog, "(?ms)^## \[?$([regex]::Escape($packVersion))\]?[^\n]*\n(.*?)(?=^## |\z)")
if (-not $section.Success) { throw "CHANGELOG.md has no section for $packVersion ('## $packVersion - <date>')." }
$notes = $section.Groups[1].Value.Trim() -replace "'", "''"
$packed = [regex]::Replace($packed, "(?m)^(\s*ReleaseNotes\s*=\s*)'[^']*'", { param($m) $m.Groups[1].Value + "'" + $notes + "'" })
# Its comments describe the repository's layout; this one says where it came from.
$packed = "# Laid out by scripts/pack-module.ps1: the compiled cmdlets, their dependencies and the natives of each platform sit beside this manifest.`n" +
    ($packed -replace '(?m)^[ \t]*#.*\r?\n', '')
Set-Content -Path (Join-Path $target 'HerTools.psd1') -Value $packed -NoNewline

$null = Test-ModuleManifest -Path (Join-Path $target 'HerTools.psd1')

if ($PackageDestination) {
    $packageFolder = [System.IO.Path]::GetFullPath($PackageDestination)
    New-Item -ItemType Directory -Force -Path $packageFolder | Out-Null
    $package = Join-Path $packageFolder "HerTools.$packVersion.nupkg"
    if (Test-Path $package) { Remove-Item -Force $package }
    Write-Verbose "Packing $target into $package"
    Compress-PSResource -Path $target -DestinationPath $packageFolder
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package" }
    Get-Item $package
}
else {
    Get-Item $target
}

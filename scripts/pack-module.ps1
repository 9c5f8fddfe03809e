#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Lays out the HerTools module as PowerShell installs modules: artifacts/module/HerTools/<version>/.

.DESCRIPTION
    Builds src/HerTools.PowerShell (its output, in module/bin/, already has the TorchSharp native files flat
    beside TorchSharp.dll and patched by the build), then copies that output, the format file and the help
    into artifacts/module/HerTools/<version>/ and writes HerTools.psd1 there with its paths rewritten for the
    flat layout. Put artifacts/module on $env:PSModulePath and `Import-Module HerTools` loads it.

.PARAMETER Destination
    The folder to lay the module out in (the one that goes on $env:PSModulePath). Default: artifacts/module.

.PARAMETER Configuration
    The build configuration. Default: Release.

.PARAMETER NoBuild
    Packs module/bin/ as it is, without building first.

.EXAMPLE
    pwsh scripts/pack-module.ps1
    $env:PSModulePath = "$PWD/artifacts/module" + [IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module HerTools
#>
[CmdletBinding()]
param(
    [string] $Destination = (Join-Path $PSScriptRoot '..' 'artifacts' 'module'),
    [string] $Configuration = 'Release',
    [switch] $NoBuild
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$bin = Join-Path $root 'module' 'bin'
$manifestPath = Join-Path $root 'HerTools.psd1'

if (-not $NoBuild) {
    Write-Verbose "Building src/HerTools.PowerShell ($Configuration) into module/bin"
    dotnet build (Join-Path $root 'src' 'HerTools.PowerShell') -c $Configuration --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet build src/HerTools.PowerShell failed (exit code $LASTEXITCODE)" }
}

foreach ($required in 'HerTools.PowerShell.dll', 'TorchSharp.dll', 'libLibTorchSharp.so', 'libtorch_cpu.so') {
    if (-not (Test-Path (Join-Path $bin $required))) {
        throw "module/bin/$required is missing: build the module first (dotnet build src/HerTools.PowerShell), or run without -NoBuild."
    }
}

$manifest = Import-PowerShellDataFile $manifestPath
$target = Join-Path ([System.IO.Path]::GetFullPath($Destination)) 'HerTools' $manifest.ModuleVersion
if (Test-Path $target) { Remove-Item -Recurse -Force $target }
New-Item -ItemType Directory -Force -Path $target | Out-Null

# The build output as it is: the assembly, its dependencies, the native files flat and patched, en-US help.
Get-ChildItem -Path $bin -Force | Where-Object { $_.Extension -ne '.pdb' } |
    Copy-Item -Destination $target -Recurse -Force

# Files the manifest names beside module/bin (formats, types) go to the module's root too.
$text = Get-Content -Raw $manifestPath
$paths = [regex]::Matches($text, "'(module/[^']+)'") | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique
foreach ($path in $paths | Where-Object { $_ -notlike 'module/bin/*' }) {
    Copy-Item -Path (Join-Path $root $path) -Destination (Join-Path $target (Split-Path -Leaf $path)) -Force
}
# ... and the manifest names them by leaf: 'module/bin/X.dll' -> 'X.dll', 'module/X.ps1xml' -> 'X.ps1xml'.
$packed = [regex]::Replace($text, "'module/(?:bin/)?([^']+)'", "'`$1'")
# The repository manifest's comments describe the repository's layout; this one says where it came from.
$packed = "# Laid out by scripts/pack-module.ps1: the compiled cmdlets and their dependencies sit beside this manifest.`n" +
    ($packed -replace '(?m)^[ \t]*#.*\r?\n', '')
Set-Content -Path (Join-Path $target 'HerTools.psd1') -Value $packed -NoNewline

$null = Test-ModuleManifest -Path (Join-Path $target 'HerTools.psd1')
Get-Item $target

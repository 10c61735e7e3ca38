; Inno Setup 6 script: Flowbench's per-user Windows installer.
;
; Built by packaging/build.py after PyInstaller (which passes the defines below):
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\flowbench /DIconFile=build\icons\flowbench.ico
;        /Odist packaging\windows\flowbench.iss
; Result: dist\Flowbench-<version>-windows-x64-setup.exe
;
; Per user: no administrator rights, installs to %LOCALAPPDATA%\Programs\Flowbench, the
; Start-menu shortcut and the file association go to the user's own profile and
; registry (HKCU), and "Apps & features" lists an uninstaller.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\flowbench"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\flowbench.ico"
#endif
#define AppName "Flowbench"
#define AppExe "flowbench.exe"
#define FlowProgId "Flowbench.Flow"

[Setup]
; Never change AppId: Windows recognises upgrades and the uninstaller by it.
AppId={{B9410788-C16B-47CB-BC61-B4E52D87E29D}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Flowbench team
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename=Flowbench-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "flowfiles"; Description: "Open Flowbench flow files (.flowbench.json) with Flowbench"; GroupDescription: "File types:"

[InstallDelete]
; An upgrade replaces the bundle whole: no stale libraries from an older version.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Author, approve and publish Action Flows"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; HKA is HKEY_CURRENT_USER for a per-user install. Windows decides a file's type by its
; last extension, so name.flowbench.json is a ".json" file to Explorer: Flowbench registers
; its flow type and offers itself for .json in "Open with", without taking .json over.
Root: HKA; Subkey: "Software\Classes\{#FlowProgId}"; ValueType: string; ValueName: ""; ValueData: "Flowbench flow"; Flags: uninsdeletekey; Tasks: flowfiles
Root: HKA; Subkey: "Software\Classes\{#FlowProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: flowfiles
Root: HKA; Subkey: "Software\Classes\{#FlowProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: flowfiles
Root: HKA; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: none; ValueName: "{#FlowProgId}"; Flags: uninsdeletevalue; Tasks: flowfiles
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".json"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Python's byte-code caches and the like, written after installation.
Type: filesandordirs; Name: "{app}\_internal"

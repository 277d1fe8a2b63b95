; The Windows installer: per user (no administrator rights), into %LOCALAPPDATA%\Programs\Postdesk,
; with a Start-menu entry and an uninstaller. `make package-windows` gives VERSION, STAGE (the
; folder of the portable zip), ICON and OUTFILE. Not for: the WebView2 runtime itself, which
; Windows 10 and 11 ship; when it is missing the writer is told where to get it.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define APP "Postdesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
; The WebView2 runtime's id in EdgeUpdate's registry keys.
!define WEBVIEW2 "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT licence"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\postdesk.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; The writers' language first: the installer speaks the one Windows is set to.
!insertmacro MUI_LANGUAGE "Korean"
!insertmacro MUI_LANGUAGE "English"

LangString NoWebView2 ${LANG_ENGLISH} "Postdesk's window needs the Microsoft Edge WebView2 Runtime, which is not installed on this computer.$\r$\n$\r$\nWindows 10 and 11 normally include it. Download the Evergreen Runtime from Microsoft (https://developer.microsoft.com/microsoft-edge/webview2/), install it, then start Postdesk from the Start menu.$\r$\n$\r$\nPostdesk is being installed anyway."
LangString NoWebView2 ${LANG_KOREAN} "Postdesk 창을 열려면 Microsoft Edge WebView2 런타임이 필요한데, 이 컴퓨터에 설치되어 있지 않습니다.$\r$\n$\r$\nWindows 10과 11에는 보통 들어 있습니다. Microsoft에서 Evergreen 런타임을 받아 설치한 뒤(https://developer.microsoft.com/microsoft-edge/webview2/) 시작 메뉴에서 Postdesk를 여세요.$\r$\n$\r$\nPostdesk 설치는 계속합니다."

Section "${APP}"
  SetOutPath "$INSTDIR"
  ; A new version replaces the old sample, never the writer's own copy (in Documents).
  RMDir /r "$INSTDIR\sample"
  File "${STAGE}/postdesk.exe"
  File "${STAGE}/WebView2Loader.dll"
  File "${STAGE}/README.txt"
  File /r "${STAGE}/sample"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\postdesk.exe"

  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\postdesk.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1

  Call CheckWebView2
SectionEnd

; The runtime registers its version (pv) per machine (under WOW6432Node, or not on 32-bit
; Windows) or per user; a missing or 0.0.0.0 version means it is not there.
Function CheckWebView2
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    DetailPrint "WebView2 Runtime: not found"
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(NoWebView2)" /SD IDOK
  ${Else}
    DetailPrint "WebView2 Runtime: $0"
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$INSTDIR\postdesk.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\README.txt"
  RMDir /r "$INSTDIR\sample"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
SectionEnd

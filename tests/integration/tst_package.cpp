// The Debian package (issue 18): CPack builds tai-console_<version>_<arch>.deb from this build
// tree, and Debian's own tools accept it: lintian reports no error, desktop-file-validate and
// appstreamcli pass, and the package holds what it promises and depends on what Qt loads by name.
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Tool {
    int exitCode = -1;
    QByteArray output;  // stdout and stderr
};

Tool runTool(const QString& program, const QStringList& args, int timeoutMs = 300'000) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAll()};
}

QString tool(const char* name) {
    return QStandardPaths::findExecutable(QString::fromLatin1(name));
}

const QString kAppId = QStringLiteral("org.taiconsole.TaiConsole");

}  // namespace

class TestPackage : public QObject {
    Q_OBJECT
    QTemporaryDir work_;
    QString deb_;
    QString root_;  // the package unpacked

private Q_SLOTS:
    void initTestCase() {
        for (const char* name :
             {"dpkg-deb", "lintian", "desktop-file-validate", "appstreamcli", "dpkg-shlibdeps"}) {
            QVERIFY2(!tool(name).isEmpty(),
                     qPrintable(QString("%1 is missing: packaging/debian-packages.txt lists it").arg(name)));
        }
        const Tool cpack =
            runTool(QStringLiteral(TAI_CPACK),
                    {"-G", "DEB", "--config", TAI_BUILD_DIR "/CPackConfig.cmake", "-B", work_.path()});
        QVERIFY2(cpack.exitCode == 0, cpack.output.constData());
        const QStringList debs = QDir(work_.path()).entryList({"*.deb"}, QDir::Files);
        QCOMPARE(debs, QStringList{QStringLiteral("tai-console_" TAI_VERSION "_amd64.deb")});
        deb_ = QDir(work_.path()).filePath(debs.front());
        root_ = work_.filePath("root");
        const Tool unpack = runTool(tool("dpkg-deb"), {"-x", deb_, root_});
        QVERIFY2(unpack.exitCode == 0, unpack.output.constData());
    }

    void holdsTheBinaryAndItsDesktopIntegration() {
        const Tool contents = runTool(tool("dpkg-deb"), {"-c", deb_});
        QCOMPARE(contents.exitCode, 0);
        const QStringList expected{
            QStringLiteral("./usr/bin/tai-console"),
            "./usr/share/applications/" + kAppId + ".desktop",
            "./usr/share/metainfo/" + kAppId + ".metainfo.xml",
            "./usr/share/icons/hicolor/scalable/apps/" + kAppId + ".svg",
            QStringLiteral("./usr/share/man/man1/tai-console.1.gz"),
            QStringLiteral("./usr/share/doc/tai-console/copyright"),
            QStringLiteral("./usr/share/doc/tai-console/changelog.gz"),
            QStringLiteral("./usr/share/tai-console/monitoring/tai-console.rules.yml"),
            QStringLiteral("./usr/share/tai-console/monitoring/tai-console-dashboard.json")};
        for (const QString& path : expected) {
            QVERIFY2(contents.output.contains(QByteArray(' ' + path.toUtf8() + '\n')), qPrintable(path));
        }
        // Nothing but what we install: no tests, no headers, no build paths.
        QVERIFY2(!contents.output.contains("tst_") && !contents.output.contains("/include/"),
                 contents.output.constData());
        const Tool version = runTool(root_ + "/usr/bin/tai-console", {"--version"});
        QCOMPARE(version.output.trimmed(), QByteArray("tai-console " TAI_VERSION));
    }

    void dependsOnWhatQtLoadsByName() {
        const Tool depends = runTool(tool("dpkg-deb"), {"-f", deb_, "Depends"});
        QCOMPARE(depends.exitCode, 0);
        // From dpkg-shlibdeps (the ELF's NEEDED): SQLite itself, since the audit trail is on the
        // sqlite3 C API. The platform plugins (xcb, offscreen) are in libqt6gui6, the TLS backends
        // in libqt6network6.
        for (const char* package : {"libc6", "libqt6core6", "libqt6widgets6", "libqt6charts6",
                                    "libhttp-parser2.9", "libqt6gui6", "libqt6network6", "libsqlite3-0"}) {
            QVERIFY2(depends.output.contains(package),
                     qPrintable(QString("%1 in: %2").arg(package, depends.output)));
        }
        // Qt SQL and its SQLite driver are no longer used: nothing pulls them in.
        QVERIFY2(!depends.output.contains("libqt6sql6"), depends.output.constData());
    }

    void lintianReportsNoErrors() {
        const Tool lintian = runTool(tool("lintian"), {"--info", "--display-level", ">=pedantic", deb_});
        qInfo().noquote() << "lintian:\n" << lintian.output;
        QStringList errors;
        for (const QByteArray& line : lintian.output.split('\n')) {
            if (line.startsWith("E: ")) {
                errors << QString::fromUtf8(line);
            }
        }
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        QVERIFY2(lintian.exitCode == 0, lintian.output.constData());
    }

    void theDesktopFileValidates() {
        const Tool validate = runTool(tool("desktop-file-validate"),
                                      {root_ + "/usr/share/applications/" + kAppId + ".desktop"});
        QVERIFY2(validate.exitCode == 0 && validate.output.trimmed().isEmpty(), validate.output.constData());
    }

    void theMetainfoValidates() {
        // --no-net: CI has no network; the screenshot URLs are checked for form, not fetched.
        const Tool validate = runTool(
            tool("appstreamcli"),
            {"validate", "--no-net", "--explain", root_ + "/usr/share/metainfo/" + kAppId + ".metainfo.xml"});
        qInfo().noquote() << "appstreamcli:\n" << validate.output;
        QVERIFY2(validate.exitCode == 0, validate.output.constData());
        QVERIFY(validate.output.contains("Validation was successful"));
    }

    void theManPageIsTheHelp() {
        const Tool page =
            runTool(QStringLiteral("gzip"), {"-dc", root_ + "/usr/share/man/man1/tai-console.1.gz"});
        QCOMPARE(page.exitCode, 0);
        for (const char* text : {".TH TAI-CONSOLE \"1\"", ".SH SYNOPSIS", "scenario run", "gateway\\-url",
                                 ".SS \"Engine options:\"", ".SS \"Exit status:\"", ".SH FILES"}) {
            QVERIFY2(page.output.contains(text), text);
        }
    }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"

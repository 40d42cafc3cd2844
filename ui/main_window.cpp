#include "main_window.h"

#include "andon_board.h"
#include "trace_view.h"
#include "why_blocked_dialog.h"

#include "andon_header.h"
#include "api_access.h"
#include "audit_log_view.h"
#include "breaker_panel.h"
#include "burst_form.h"
#include "deploy_form.h"
#include "deployment_panel.h"
#include "engine/command_parser.h"
#include "engine/engine.h"
#include "fault_panel.h"
#include "flow_panel.h"
#include "kaizen_charts.h"
#include "payment_form.h"
#include "scenario/scenario_session.h"
#include "timeline_view.h"

#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QVBoxLayout>

namespace tai::ui {

QString operatorName() {
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("operator") : user;
}

namespace {
constexpr int kFrameMs = 33;          // at most ~30 renders a second, whatever the engine publishes
constexpr int kTimelineHeight = 215;  // seven rows of the event timeline at 1280x800

std::optional<QString> askWithDialog(QWidget* parent, const QString& title, const QString& question) {
    bool ok = false;
    const QString reason =
        QInputDialog::getText(parent, title, question + QStringLiteral("\n\nReason (optional):"),
                              QLineEdit::Normal, QString(), &ok);
    return ok ? std::optional(reason) : std::nullopt;
}
}  // namespace

MainWindow::MainWindow(Engine& engine, QWidget* parent) : QMainWindow(parent), engine_(engine) {
    setWindowTitle(QStringLiteral("TAI Console"));
    setObjectName(QStringLiteral("mainWindow"));
    confirm_ = [this](const QString& title, const QString& question) {
        return askWithDialog(this, title, question);
    };

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);
    header_ = new AndonHeader(central);
    layout->addWidget(header_);
    auto* split = new QSplitter(Qt::Horizontal, central);
    // Breakers over flow, split so the operator can give the breakers the height in an outage.
    auto* left = new QSplitter(Qt::Vertical, split);
    left->setChildrenCollapsible(false);
    breakers_ = new BreakerPanel(left);
    flow_ = new FlowPanel(left);
    left->addWidget(breakers_);
    left->addWidget(flow_);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);
    left->setSizes({265, 215});  // the breakers first: in an outage they are what the operator works
    views_ = new QTabWidget(split);
    views_->setAccessibleName(QStringLiteral("Views"));
    charts_ = new KaizenCharts(views_);
    views_->addTab(charts_, QStringLiteral("Kaizen — metrics"));
    QStringList regions;
    if (const auto first = engine_.latestSnapshot()) {
        for (const BreakerView& b : first->breakers) {
            if (b.system == u"deployments" && !b.region.isEmpty()) {
                regions << b.region;
            }
        }
    }
    deployments_ = new DeploymentPanel(regions, views_);
    views_->addTab(deployments_, QStringLiteral("Deployments"));
    buildAndonAndTraces();
    split->addWidget(left);
    split->addWidget(views_);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    left->setMinimumWidth(420);
    split->setSizes({425, 565});
    layout->addWidget(split, 1);
    setCentralWidget(central);

    status_ = new QLabel(this);
    statusBar()->addWidget(status_, 1);

    buildDocks();
    buildActions();
    connect(breakers_, &BreakerPanel::controlRequested, this, &MainWindow::requestBreakerControl);
    connect(deployments_, &DeploymentPanel::controlRequested, this, &MainWindow::requestRolloutControl);
    connect(deployments_, &DeploymentPanel::undoRequested, this, &MainWindow::requestUndo);
    connect(deployments_, &DeploymentPanel::deploymentRequested, this, &MainWindow::requestDeployment);

    frame_.setSingleShot(true);
    frame_.setInterval(kFrameMs);
    connect(&frame_, &QTimer::timeout, this, &MainWindow::render);
    connect(&engine_, &Engine::snapshotAvailable, this, [this] {
        if (auto snapshot = engine_.latestSnapshot()) {
            onSnapshot(snapshot);
        }
    });

    resize(1280, 800);
    defaultState_ = saveState();
    restoreLayout();
    if (auto snapshot = engine_.latestSnapshot()) {
        onSnapshot(snapshot);
        renderNow();
    }
}

MainWindow::~MainWindow() {
    // Children are deleted after this body, by ~QWidget: the "why" dialog's destroyed() must not
    // reach a window that is already half gone (UBSan: member access on a destroyed MainWindow).
    if (lastWhy_ != nullptr) {
        QObject::disconnect(lastWhy_, nullptr, this, nullptr);
    }
    // A What-if still replaying reads the training engine, which outlives this window.
    whatIf_.waitForFinished();
}

void MainWindow::buildDocks() {
    auto* injector = new QWidget(this);
    auto* injectorLayout = new QVBoxLayout(injector);
    auto* paymentBox = new QGroupBox(QStringLiteral("Payment"), injector);
    auto* paymentLayout = new QVBoxLayout(paymentBox);
    paymentForm_ = new PaymentForm(paymentBox);
    paymentLayout->addWidget(paymentForm_);
    auto* burstBox = new QGroupBox(QStringLiteral("Burst generator"), injector);
    auto* burstLayout = new QVBoxLayout(burstBox);
    burstForm_ = new BurstForm(burstBox);
    burstLayout->addWidget(burstForm_);
    injectorLayout->addWidget(paymentBox);
    injectorLayout->addWidget(burstBox);
    injectorLayout->addStretch();
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(injector);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* injectorDock = new QDockWidget(QStringLiteral("Injector"), this);
    injectorDock->setObjectName(QStringLiteral("injectorDock"));
    injectorDock->setWidget(scroll);
    injectorDock->setMinimumWidth(250);
    injectorDock_ = injectorDock;
    addDockWidget(Qt::RightDockWidgetArea, injectorDock);

    faults_ = new FaultPanel(this);
    auto* faultDock = new QDockWidget(QStringLiteral("Faults"), this);
    faultDock->setObjectName(QStringLiteral("faultDock"));
    faultDock->setWidget(faults_);
    addDockWidget(Qt::RightDockWidgetArea, faultDock);
    tabifyDockWidget(injectorDock, faultDock);
    injectorDock->raise();

    timeline_ = new TimelineView(this);
    auto* timelineDock = new QDockWidget(QStringLiteral("Event timeline"), this);
    timelineDock->setObjectName(QStringLiteral("timelineDock"));
    timelineDock->setWidget(timeline_);
    addDockWidget(Qt::BottomDockWidgetArea, timelineDock);
    timelineDock_ = timelineDock;

    auditLog_ = new AuditLogView(this);
    auto* auditDock = new QDockWidget(QStringLiteral("Audit log"), this);
    auditDock->setObjectName(QStringLiteral("auditDock"));
    auditDock->setWidget(auditLog_);
    addDockWidget(Qt::BottomDockWidgetArea, auditDock);
    tabifyDockWidget(timelineDock, auditDock);
    timelineDock->raise();

    connect(paymentForm_, &PaymentForm::paymentRequested, this, &MainWindow::sendPayment);
    connect(paymentForm_, &PaymentForm::whyRequested, this, &MainWindow::showWhy);
    connect(auditLog_, &AuditLogView::whyRequested, this, &MainWindow::showWhy);
    connect(burstForm_, &BurstForm::burstRequested, this, [this](StartBurst burst) {
        burst.origin.actor = operatorName();
        send(burst, QStringLiteral("burst of %1/s for %2 s").arg(burst.paymentsPerSecond).arg(burst.seconds));
    });
    connect(faults_, &FaultPanel::faultRequested, this, [this](const GatewayFault& fault) {
        send(SetGatewayFault{fault, {operatorName(), {}}},
             QStringLiteral("gateway fault: ") + fault.describe());
    });
}

void MainWindow::buildActions() {
    QMenu* controls = menuBar()->addMenu(QStringLiteral("&Controls"));
    const auto add = [this, controls](const QString& text, const QKeySequence& keys, auto slot) {
        QAction* action = controls->addAction(text);
        action->setShortcut(keys);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    const QString gateway = QStringLiteral("payment-gateway");
    add(QStringLiteral("Force gateway breaker &open"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
        [this, gateway] { requestBreakerControl(gateway, BreakerControl::ForceOpen); });
    add(QStringLiteral("Force gateway breaker &half-open"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H),
        [this, gateway] { requestBreakerControl(gateway, BreakerControl::ForceHalfOpen); });
    add(QStringLiteral("Force gateway breaker &closed"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
        [this, gateway] { requestBreakerControl(gateway, BreakerControl::ForceClosed); });
    add(QStringLiteral("&Release gateway breaker"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
        [this, gateway] { requestBreakerControl(gateway, BreakerControl::Release); });
    controls->addSeparator();
    add(QStringLiteral("Toggle gateway &outage"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
        [this] { faults_->outageBox()->toggle(); });
    add(QStringLiteral("Focus the &payment form"), QKeySequence(Qt::CTRL | Qt::Key_I), [this] {
        // The Injector may be closed or behind the Faults tab: bring it to the front first, or
        // the keys go into a form the operator cannot see (issue 17, item 3).
        injectorDock_->show();
        injectorDock_->raise();
        paymentForm_->field(QStringLiteral("customer_id"))->setFocus(Qt::ShortcutFocusReason);
    });
    controls->addSeparator();
    add(QStringLiteral("&API access…"), QKeySequence(),
        [this] { showApiAccessDialog(this, apiStatus_ ? apiStatus_() : ApiStatus{}); });
    add(QStringLiteral("&Quit"), QKeySequence::Quit, [this] { close(); });

    // Every dock can be closed; without this menu a closed one was hard to bring back (issue 17,
    // item 12).
    QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        view->addAction(dock->toggleViewAction());
    }
    view->addSeparator();
    QAction* reset = view->addAction(QStringLiteral("Reset window &layout"));
    connect(reset, &QAction::triggered, this, [this] { resetLayout(); });
}

void MainWindow::restoreLayout() {
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoredState_ = restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    // Dock sizes only take once the window has its geometry: set before, they were lost and the
    // timeline ended up two rows high (issue 17, item 6).
    if (!shownOnce_ && !restoredState_) {
        resizeDocks({timelineDock_}, {kTimelineHeight}, Qt::Vertical);
    }
    shownOnce_ = true;
}

void MainWindow::resetLayout() {
    restoreState(defaultState_);
    resizeDocks({timelineDock_}, {kTimelineHeight}, Qt::Vertical);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::onSnapshot(const SnapshotPtr& snapshot) {
    latest_ = snapshot;
    if (!frame_.isActive()) {
        frame_.start();  // coalesce: whatever arrives before the frame is drawn once
    }
}

void MainWindow::renderNow() {
    frame_.stop();
    render();
}

void MainWindow::render() {
    if (!latest_ || latest_->sequence == renderedSequence_) {
        return;
    }
    const EngineSnapshot& s = *latest_;
    renderedSequence_ = s.sequence;
    header_->showSnapshot(s);
    breakers_->showSnapshot(s);
    flow_->showSnapshot(s);
    charts_->showSnapshot(s);
    faults_->showActive(s.gatewayFault);
    timeline_->showSnapshot(s);
    deployments_->showSnapshot(s);
    views_->setTabText(1, deployments_->activeCount() > 0
                              ? QStringLiteral("Deployments (%1 active)").arg(deployments_->activeCount())
                              : QStringLiteral("Deployments"));
    andonBoard_->showSnapshot(s);
    const auto second = std::chrono::floor<std::chrono::seconds>(s.at).time_since_epoch().count();
    if (views_->currentWidget() == traceView_ && traceView_->following() && second != traceRefreshSecond_) {
        traceRefreshSecond_ = second;
        traceView_->search();  // the newest kept trace, once a second, until the operator picks one
    }
    const std::int64_t now = toEpochMs(s.at);
    const auto firing = std::count_if(s.alerts.begin(), s.alerts.end(), [now](const ActiveAlert& a) {
        return a.state == AlertState::Firing && !a.silencedAt(now);
    });
    views_->setTabText(2, firing > 0 ? QStringLiteral("Andon board (%1 firing)").arg(firing)
                                     : QStringLiteral("Andon board"));
    notifyTray(s);
}

void MainWindow::requestBreakerControl(const QString& breaker, BreakerControl control) {
    QString reason;
    if (control == BreakerControl::ForceOpen || control == BreakerControl::ForceClosed) {
        const QString question =
            control == BreakerControl::ForceOpen
                ? QStringLiteral("Force %1 OPEN? Every call will fail fast until you release it.")
                      .arg(breaker)
                : QStringLiteral("Force %1 CLOSED? Failures will be ignored until you release it.")
                      .arg(breaker);
        const auto answer = confirm_(QStringLiteral("Confirm breaker control"), question);
        if (!answer) {
            status_->setText(QStringLiteral("Cancelled: ") + toString(control) + QStringLiteral(" ") +
                             breaker);
            return;
        }
        reason = *answer;
    }
    send(ControlBreaker{breaker, control, {operatorName(), reason}},
         toString(control) + QStringLiteral(" ") + breaker);
}

QString MainWindow::statusText() const {
    return status_->text();
}

void MainWindow::attachAudit() {
    if (!engine_.hasAudit()) {
        auditLog_->setSource({}, {});
        return;
    }
    auditLog_->setSource([this](const AuditQuery& q) { return engine_.queryAudit(q); },
                         [this](const AuditQuery& q, const QString& format, const QString& file) {
                             return engine_.exportAudit(q, format, file);
                         });
    auditLog_->refresh();
}

void MainWindow::attachApi(std::function<ApiStatus()> status) {
    apiStatus_ = std::move(status);
    if (apiIndicator_ == nullptr) {
        apiIndicator_ = new ApiStatusIndicator(apiStatus_, this);
        statusBar()->addPermanentWidget(apiIndicator_);
    }
    apiIndicator_->refresh();
}

void MainWindow::showView(const QString& name) {
    views_->setCurrentIndex(name == u"deployments" ? 1 : name == u"andon" ? 2 : name == u"traces" ? 3 : 0);
}

void MainWindow::requestRolloutControl(const QString& deployment, RolloutControl control,
                                       const QString& region) {
    QString reason;
    if (control == RolloutControl::Abort || control == RolloutControl::Rollback) {
        const QString question =
            control == RolloutControl::Abort
                ? QStringLiteral("Abort %1? The active region rolls back and the rest is cancelled.")
                      .arg(deployment)
                : QStringLiteral("Roll back %1 in %2 to its previous version?").arg(deployment, region);
        const auto answer = confirm_(QStringLiteral("Confirm rollout control"), question);
        if (!answer) {
            status_->setText(QStringLiteral("Cancelled: ") + toString(control) + QStringLiteral(" ") +
                             deployment);
            return;
        }
        reason = *answer;
    }
    send(ControlRollout{deployment, control, region, {operatorName(), reason}},
         toString(control) + QStringLiteral(" ") + deployment +
             (region.isEmpty() ? QString() : QStringLiteral(" ") + region));
}

void MainWindow::requestUndo(const QString& service, int revision) {
    const auto answer = confirm_(
        QStringLiteral("Confirm undo"),
        QStringLiteral("Undo %1 to revision %2? A new rollout of that revision's version starts, through "
                       "every stage and the safety policy.")
            .arg(service)
            .arg(revision));
    if (!answer) {
        status_->setText(QStringLiteral("Cancelled: undo ") + service);
        return;
    }
    send(UndoDeployment{service, revision, {operatorName(), *answer}},
         QStringLiteral("undo %1 to revision %2").arg(service).arg(revision));
}

void MainWindow::requestDeployment(const QJsonObject& request) {
    QJsonObject object = request;
    object.insert(QStringLiteral("do"), QStringLiteral("deploy"));
    CommandParseOptions options;
    options.defaultActor = operatorName();
    const CommandParse parsed = parseCommand(object, options);
    if (const auto* errors = std::get_if<std::vector<CommandError>>(&parsed)) {
        deployments_->form()->showResult(errors->front().text(), false);
        return;
    }
    auto* watcher = new QFutureWatcher<CommandResult>(this);
    connect(watcher, &QFutureWatcher<CommandResult>::finished, this, [this, watcher] {
        watcher->deleteLater();
        if (watcher->future().resultCount() == 0) {
            return;  // the engine stopped first
        }
        const CommandResult r = watcher->future().result();
        deployments_->form()->showResult(r.ok() ? QStringLiteral("Accepted as ") + r.id : r.error(), r.ok());
    });
    watcher->setFuture(engine_.execute(std::get<ParsedCommand>(parsed).command));
}

void MainWindow::send(const EngineCommand& command, const QString& description) {
    auto* watcher = new QFutureWatcher<CommandResult>(this);
    connect(watcher, &QFutureWatcher<CommandResult>::finished, this, [this, watcher, description] {
        watcher->deleteLater();
        if (watcher->future().resultCount() == 0) {
            return;  // the engine stopped first
        }
        const CommandResult result = watcher->future().result();
        if (result.ok() && training_ != nullptr && training_->paused()) {
            // Accepted, but virtual time stands still: say so rather than "Done" (issue 17, item 10).
            status_->setText(
                QStringLiteral("Accepted while the run is paused (time stands still until you resume): ") +
                description);
        } else if (result.ok()) {
            status_->setText(QStringLiteral("Done: ") + description);
        } else {
            status_->setText(QStringLiteral("Refused: ") + description + QStringLiteral(" — ") +
                             result.error());
        }
        lastResult_ = result;
        Q_EMIT commandAnswered(result);
    });
    watcher->setFuture(engine_.execute(command));
    status_->setText(QStringLiteral("Sent: ") + description);
}

void MainWindow::sendPayment(const QByteArray& json) {
    auto* watcher = new QFutureWatcher<PaymentResponse>(this);
    connect(watcher, &QFutureWatcher<PaymentResponse>::finished, this, [this, watcher] {
        if (watcher->future().resultCount() > 0) {
            paymentForm_->showResponse(watcher->future().result());
        }
        watcher->deleteLater();
    });
    watcher->setFuture(engine_.submitPayment(json));
}

}  // namespace tai::ui

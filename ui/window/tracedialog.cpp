#include "ui/window/tracedialog.h"

#include "ui/source/tracecontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pipescope
{

TraceDialog::TraceDialog(const QVector<RecentTrace> &recent, QWidget *parent)
    : QDialog(parent),
      m_recent(recent),
      m_program(new QComboBox(this)),
      m_arguments(new QLineEdit(this)),
      m_directory(new QLineEdit(this)),
      m_paused(
          new QCheckBox(QStringLiteral("Start paused: hold it at its first pipe call (then Step or Space)"), this)),
      m_problem(new QLabel(this))
{
    setWindowTitle(QStringLiteral("Trace a program"));
    m_program->setObjectName(QStringLiteral("program"));
    m_arguments->setObjectName(QStringLiteral("arguments"));
    m_directory->setObjectName(QStringLiteral("directory"));
    m_paused->setObjectName(QStringLiteral("startPaused"));
    m_problem->setObjectName(QStringLiteral("problem"));
    m_program->setEditable(true);
    // The list holds whole recent runs (program, arguments, folder); picking one fills every field.
    m_program->setInsertPolicy(QComboBox::NoInsert);
    m_program->lineEdit()->setPlaceholderText(QStringLiteral("python3, ./a.out, sh ..."));
    m_program->setMinimumContentsLength(36);
    for (const RecentTrace &r : std::as_const(m_recent))
        m_program->addItem(r.label());
    m_arguments->setPlaceholderText(QStringLiteral("examples/pipe_through_cat.py, or -c 'ls | wc -l' after sh"));
    m_directory->setPlaceholderText(QDir::currentPath());
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_problem->hide();

    auto row = [this](QWidget *field, const QString &button, void (TraceDialog::*browse)()) {
        auto *box = new QWidget(this);
        auto *layout = new QHBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(field, 1);
        auto *b = new QPushButton(button, box);
        b->setAutoDefault(false); // Enter traces; it never opens a file dialog
        connect(b, &QPushButton::clicked, this, browse);
        layout->addWidget(b);
        return box;
    };
    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("&Program:"), row(m_program, QStringLiteral("Browse..."), &TraceDialog::browseProgram));
    form->addRow(QStringLiteral("&Arguments:"), m_arguments);
    form->addRow(QStringLiteral("&Working directory:"),
        row(m_directory, QStringLiteral("Choose..."), &TraceDialog::browseDirectory));
    auto *note = new QLabel(QStringLiteral("Run as typed, without a shell: for a pipeline write sh and "
                                           "-c 'a | b'. Its standard input is /dev/null; what it prints is kept."),
        this);
    note->setWordWrap(true);
    note->setEnabled(false); // the muted text colour: a hint, not a field
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Trace"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_paused);
    layout->addWidget(note);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &TraceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_program, &QComboBox::activated, this, &TraceDialog::pickRecent);
    for (QLineEdit *edit : {m_program->lineEdit(), m_arguments, m_directory})
        connect(edit, &QLineEdit::textEdited, m_problem, &QWidget::hide);
    if (!m_recent.isEmpty())
        setRequest(m_recent.constFirst());
    else
        m_program->setEditText(QString());
    resize(720, sizeHint().height());
}

RecentTrace TraceDialog::request() const
{
    return {m_program->currentText().trimmed(), m_arguments->text().trimmed(), m_directory->text().trimmed()};
}

void TraceDialog::setRequest(const RecentTrace &request)
{
    m_program->setEditText(request.program);
    m_arguments->setText(request.arguments);
    m_directory->setText(request.directory);
    m_problem->hide();
}

bool TraceDialog::startPaused() const
{
    return m_paused->isChecked();
}

void TraceDialog::setStartPaused(bool paused)
{
    m_paused->setChecked(paused);
}

QString TraceDialog::problem() const
{
    const RecentTrace r = request();
    if (r.program.isEmpty())
        return QStringLiteral("Which program? Type its name (found in PATH) or its path.");
    if (!r.directory.isEmpty() && !QFileInfo(r.directory).isDir())
        return QStringLiteral("no such directory: %1").arg(r.directory);
    return TraceController::refusal(r.argv(), r.directory);
}

void TraceDialog::accept()
{
    const QString why = problem();
    if (!why.isEmpty()) {
        m_problem->setText(why);
        m_problem->show();
        return;
    }
    QDialog::accept();
}

void TraceDialog::pickRecent(int index)
{
    if (index >= 0 && index < m_recent.size())
        setRequest(m_recent.at(index));
}

void TraceDialog::browseProgram()
{
    const QString start = m_directory->text().isEmpty() ? QDir::currentPath() : m_directory->text();
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Program to trace"), start);
    if (!path.isEmpty())
        m_program->setEditText(path);
}

void TraceDialog::browseDirectory()
{
    const QString start = m_directory->text().isEmpty() ? QDir::currentPath() : m_directory->text();
    const QString dir = QFileDialog::getExistingDirectory(this, QStringLiteral("Working directory"), start);
    if (!dir.isEmpty())
        m_directory->setText(dir);
}

} // namespace pipescope

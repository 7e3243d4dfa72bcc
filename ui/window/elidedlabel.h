#pragma once

#include <QLabel>

namespace pipescope
{

/// One line of text that never widens its window: it takes whatever width the
/// layout gives it, elides the text to fit ("running no-close-e..."), and keeps
/// the whole text in its tooltip. For status lines in a toolbar, where a long
/// scenario description must not push the window past the projector's edge.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    /// The whole text (what is shown may be elided).
    QString fullText() const { return m_full; }
    void setFullText(const QString &text);

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void elide();

    QString m_full;
};

} // namespace pipescope

# title: cat: inherits what it does not know
def cat_main(feed_r, feed_w, err_r, err_w):
    os.dup2(feed_r, 0)          # fd 0: inheritable      $Dup2
    os.close(feed_r)                                     $Close
    os.close(feed_w)                                     $Close
    os.close(err_r)                                      $Close
    # data_r, data_w: not touched, this code does not know them
    # (subprocess.Popen would close them: close_fds=True)
    try:
        os.execvp("cat", ["cat"])  # keeps every inheritable fd   $Exec
    except OSError as e:
        os.write(err_w, e.errno.to_bytes(4, "little"))   $Write
    os._exit(127)

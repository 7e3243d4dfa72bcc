# title: child: becomes cat (inside Popen)
# role: *
# No Python runs here: Popen's child is C code (_posixsubprocess).
# For stdin=PIPE, stdout=PIPE, close_fds=True it does:
def child_exec(to_r, to_w, from_r, from_w, err_r, err_w):
    os.dup2(to_r, 0)            # fd 0 = the pipe        $Dup2
    os.dup2(from_w, 1)          # fd 1 = the pipe        $Dup2
    os.close(to_r)                                       $Close
    os.close(to_w)                                       $Close
    os.close(from_r)                                     $Close
    os.close(from_w)                                     $Close
    os.close(err_r)             # close_fds: all but err_w   $Close
    os.execvp("cat", ["cat"])   # from here on: cat (traced)   $Exec
    # only when exec failed: the parent's read gets it
    os.write(err_w, b"OSError:%x:" % err)                $Write
    os._exit(255)

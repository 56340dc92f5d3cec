module nodedoctor.dev/profilegen

go 1.19
